import { describe, expect, it } from 'vitest';
import { classifyTool, type ToolDefinition } from '../../src/lib/classification/classify.ts';
import { toolDefinition as tool } from '../helpers/tool-definition.ts';

/**
 * The rubric's conventions 8 to 12 (docs/classification-rubric.md), each on tools shaped like
 * those of servers outside the labelled set: the rules come from the rubric's text, not the labels.
 */
const category = (definition: ToolDefinition) => classifyTool(definition).category;

describe('convention 8: code that will run counts wherever the definition offers it', () => {
  it('a crawler whose page actions take a script step is Execute', () => {
    const actions = {
      type: 'array',
      items: {
        oneOf: [
          { type: 'object', properties: { type: { const: 'click' }, selector: { type: 'string' } } },
          { type: 'object', properties: { type: { const: 'script' }, script: { type: 'string' } } },
        ],
      },
    };
    expect(category(tool('scrape', 'Scrape a URL and return its content as markdown.', { url: { type: 'string' }, actions }))).toBe(
      'execute',
    );
  });

  it('a container with a command to run is Execute', () => {
    const container = { type: 'object', properties: { image: { type: 'string' }, command: { type: 'array', items: { type: 'string' } } } };
    expect(category(tool('create_pod', 'Create a pod in a namespace.', { namespace: { type: 'string' }, container }))).toBe('execute');
  });

  it('deploying caller-supplied code or installing a chart is Execute', () => {
    expect(category(tool('deploy_worker', 'Deploy a worker.', { name: { type: 'string' }, script: { type: 'string' } }))).toBe('execute');
    expect(
      category(tool('install_chart', 'Install a chart into the cluster.', { chart: { type: 'string' }, values: { type: 'object' } })),
    ).toBe('execute');
  });

  it('a plain filter does not make a find tool Execute, nor a pipeline an explain', () => {
    expect(category(tool('find_documents', 'Find documents in a collection.', { filter: { type: 'object' } }))).toBe('read');
    const method = { type: 'object', properties: { pipeline: { type: 'array', description: 'An aggregation pipeline' } } };
    expect(category(tool('explain_plan', 'Returns the query plan for the evaluated method.', { method }))).toBe('read');
  });
});

describe('convention 9: running an existing workflow by its id is Write', () => {
  it('triggering a pipeline that supplies no code', () => {
    expect(
      category(
        tool('trigger_pipeline', 'Trigger a CI pipeline run on a branch.', { pipeline_id: { type: 'string' }, ref: { type: 'string' } }),
      ),
    ).toBe('write');
    expect(category(tool('run_workflow', 'Run a workflow by its id.', { workflow_id: { type: 'string' } }))).toBe('write');
  });
});

describe('convention 10: deletes of configuration are deletes; wholesale replacement is Destructive', () => {
  it('deleting an environment variable, a secret or a domain is Destructive', () => {
    expect(category(tool('delete_env_var', 'Delete an environment variable from a project.', { key: { type: 'string' } }))).toBe(
      'destructive',
    );
    expect(category(tool('remove_domain', 'Remove a custom domain from the site.', { domain: { type: 'string' } }))).toBe('destructive');
  });

  it('a set with no wholesale replacement is Write; a parameter that is the whole file is Destructive', () => {
    expect(category(tool('set_config_value', 'Set one configuration value.', { key: { type: 'string' }, value: { type: 'string' } }))).toBe(
      'write',
    );
    const mode = { type: 'string', enum: ['rewrite', 'append'], default: 'rewrite', description: "'rewrite' replaces the whole file" };
    expect(category(tool('write_file', 'Write text to a file.', { path: { type: 'string' }, content: { type: 'string' }, mode }))).toBe(
      'destructive',
    );
  });

  it('a destructive flag on an otherwise routine tool decides', () => {
    const result = classifyTool(
      tool('drain_node', 'Drain a node before maintenance.', { node: { type: 'string' }, deleteLocalData: { type: 'boolean' } }),
    );
    expect(result).toMatchObject({ category: 'destructive', risk: 'critical' });
  });

  it('a state flag on a search selects what to find, and deletes nothing', () => {
    expect(category(tool('search_pages', 'Search pages by title.', { query: { type: 'string' }, archived: { type: 'boolean' } }))).toBe(
      'read',
    );
  });
});

describe('convention 11: ending a process, session or connection is Write', () => {
  it('kills and terminations of running state', () => {
    expect(category(tool('terminate_session', 'Terminate a shell session.', { session_id: { type: 'string' } }))).toBe('write');
  });
});

describe('convention 12: money, more precisely', () => {
  it('reading invoices is Read; a draft is Write; finalising is Financial', () => {
    expect(classifyTool(tool('list_invoices', 'List invoices for a customer.', { customer: { type: 'string' } }))).toMatchObject({
      category: 'read',
      risk: 'low',
    });
    expect(category(tool('create_invoice', 'Create a draft invoice for a customer.', { customer: { type: 'string' } }))).toBe('write');
    expect(category(tool('finalize_invoice', 'Finalize a draft invoice so it can be paid.', { invoice: { type: 'string' } }))).toBe(
      'financial',
    );
  });

  it('creating a paid resource whose definition asks to confirm its cost is Financial', () => {
    const result = classifyTool(
      tool('create_cluster', 'Create a cluster. The caller must confirm the cost before it is created.', { tier: { type: 'string' } }),
    );
    expect(result).toMatchObject({ category: 'financial', risk: 'critical' });
  });
});
