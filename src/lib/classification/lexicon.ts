import type { Category } from '../../schemas/risk.ts';

/**
 * Verbs by the category they point to. A tool's name is the strongest signal of what
 * it does, so these are matched against the words of the name first, then against
 * the leading verb of the description.
 */
export const VERBS: Record<Category, readonly string[]> = {
  financial: ['pay', 'charge', 'refund', 'purchase', 'buy', 'sell', 'checkout', 'withdraw', 'deposit', 'trade', 'donate', 'tip', 'payout'],
  destructive: [
    'delete',
    'remove',
    'rm',
    'drop',
    'destroy',
    'purge',
    'wipe',
    'erase',
    'truncate',
    'clear',
    'reset',
    'kill',
    'terminate',
    'uninstall',
    'revoke',
    'unlink',
    'rmdir',
    'discard',
    'overwrite',
    'prune',
    'flatten',
    'redact',
    'scrub',
    'shred',
    'evict',
    'unpublish',
    'deactivate',
    'cancel',
  ],
  execute: [
    'run',
    'exec',
    'execute',
    'eval',
    'evaluate',
    'spawn',
    'launch',
    'invoke',
    'shell',
    'compile',
    'install',
    'deploy',
    'interpret',
    'upgrade',
  ],
  write: [
    'create',
    'write',
    'update',
    'set',
    'add',
    'insert',
    'edit',
    'modify',
    'save',
    'export',
    'upload',
    'send',
    'post',
    'put',
    'patch',
    'rename',
    'move',
    'copy',
    'replace',
    'apply',
    'merge',
    'append',
    'commit',
    'push',
    'publish',
    'navigate',
    'click',
    'fill',
    'press',
    'type',
    'drag',
    'hover',
    'select',
    'close',
    'start',
    'stop',
    'enable',
    'disable',
    'lock',
    'unlock',
    'restart',
    'emulate',
    'handle',
    'scroll',
    'tap',
    'swipe',
    'throttle',
    'mock',
    'generate',
    'convert',
    'import',
    'sort',
    'split',
    'duplicate',
    'promote',
    'demote',
    'mark',
    'resolve',
    'reply',
    'accept',
    'reject',
    'restore',
    'format',
    'sanitize',
    'inject',
    'intercept',
    'init',
    'initialize',
    'reload',
    'record',
    'capture',
    'dismiss',
    'suppress',
    'upsert',
    'register',
    'configure',
    'toggle',
    'assign',
    'attach',
    'share',
    'invite',
    'schedule',
    'book',
    'submit',
    'approve',
    'archive',
    'comment',
    'tag',
    'label',
    'new',
    'restart',
    'email',
    'notify',
    'store',
    'remember',
    'log',
    'fork',
    'clone',
    'sync',
    'resize',
    'crop',
    'draw',
    'annotate',
    'bookmark',
    'change',
    'transform',
    'rewrite',
    'fix',
    'continue',
    'refine',
    'transfer',
    'connect',
    'disconnect',
    'finalize',
    'finalise',
  ],
  read: [
    'get',
    'list',
    'read',
    'search',
    'find',
    'fetch',
    'show',
    'view',
    'describe',
    'inspect',
    'count',
    'check',
    'validate',
    'diff',
    'compare',
    'analyze',
    'analyse',
    'summarize',
    'summarise',
    'extract',
    'query',
    'lookup',
    'explain',
    'review',
    'audit',
    'think',
    'reason',
    'brainstorm',
    'ask',
    'research',
    'judge',
    'critique',
    'estimate',
    'preview',
    'status',
    'info',
    'stats',
    'wait',
    'watch',
    'detect',
    'diagnose',
    'scan',
    'browse',
    'retrieve',
    'calculate',
    'translate',
    'visualize',
    'visualise',
    'outline',
    'take',
    'download',
    'load',
    'peek',
    'poll',
    'discover',
    'recommend',
    'replay',
    'test',
    'lint',
    'verify',
    'parse',
    'debug',
    'plan',
    'scout',
    'explore',
    'chat',
    'answer',
    'suggest',
    'monitor',
    'open',
    'ping',
    'health',
    'whoami',
    'echo',
  ],
};

/** Nouns in a tool's name that make any verb on them a money movement: `create_payment`, `issue_refund`. */
export const FINANCIAL_NOUNS = new Set([
  'payment',
  'payments',
  'refund',
  'refunds',
  'payout',
  'payouts',
  'charge',
  'charges',
  'checkout',
  'subscription',
  'purchase',
  'withdrawal',
  'funds',
  'money',
  'payee',
]);

/**
 * Money documents: creating or editing one charges nobody (a draft); finalising, sending or paying
 * it commits the charge (rubric, convention 12).
 */
export const MONEY_DOCUMENT_NOUNS = new Set(['invoice', 'invoices', 'bill', 'bills', 'quote', 'quotes', 'order', 'orders']);
export const CHARGE_COMMITTING_VERBS = new Set([
  'finalize',
  'finalise',
  'pay',
  'charge',
  'send',
  'issue',
  'capture',
  'confirm',
  'place',
  'submit',
]);
/** A draft: nothing is charged until a later step. */
export const DRAFT_PATTERN = /\bdrafts?\b/i;
/** A call that commits a charge: a cost the caller must confirm, a budget it may spend up to. */
export const INCURS_CHARGE_PATTERN =
  /\b(will be (charged|billed)|incur(s|ring)? (a |an )?(charges?|costs?|fees?)|confirm(s|ing)? (the |its )?(cost|price|charges?)|(spend|spends|spending) (up to|credits)|up to (a|the) (stated )?budget|billed to (your|the) account)\b/i;

/**
 * Verbs that keep their meaning as the second word of a compound name such as
 * `find_replace` or `read_and_delete`. Verbs that double as nouns are left out: `set_run_font`
 * sets a text run, `get_update_status` reads; and most second words are nouns (`list_comment_threads`).
 */
export const COMPOUND_VERBS = new Set([
  'replace',
  'delete',
  'remove',
  'write',
  'overwrite',
  'create',
  'execute',
  'send',
  'upload',
  'purge',
  'destroy',
]);

/** Argument-name prefixes that mark where a tool writes its output. */
export const OUTPUT_ARGUMENT = /^(output|out|dest|destination|save|target|export)([_-]?(path|file|dir|directory|folder|filename))$/i;

/** HTTP methods, which some servers put in front of the verb that says what a call does. */
export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Verbs that also send data out of the system the agent is working in. */
export const OUTBOUND_VERBS = new Set(['send', 'post', 'publish', 'upload', 'share', 'email', 'notify', 'invite', 'push']);

/** Phrases in a description, with the category they suggest and how strongly. */
export const DESCRIPTION_PHRASES: ReadonlyArray<{ pattern: RegExp; suggests: Category; weight: number; why: string }> = [
  {
    pattern: /\b(permanently|irreversibl[ey]|cannot be undone|can't be undone)\b/i,
    suggests: 'destructive',
    weight: 2,
    why: 'says the effect is permanent',
  },
  { pattern: /\b(overwrit(e|es|ing|ten))\b/i, suggests: 'destructive', weight: 2, why: 'says it overwrites existing data' },
  {
    pattern:
      /\b(delet(e|es|ing)|remov(e|es|ing)|eras(e|es|ing)|wip(e|es|ing)|destroy(s|ing)?|purg(e|es|ing)|drop(s|ping)? (the |a )?(table|database|collection|index))\b/i,
    suggests: 'destructive',
    weight: 1.5,
    why: 'says it deletes or removes data',
  },
  {
    pattern:
      /\b(execut(e|es|ing)|run(s|ning)?|eval(uate|uates|uating)?)\b[^.\n]{0,40}\b(javascript|js|python|code|script|shell|command|commands|sql|bash|program|binary|process)\b/i,
    suggests: 'execute',
    weight: 2.5,
    why: 'says it runs code or commands',
  },
  {
    pattern: /\b(arbitrary (code|commands?|scripts?|sql)|shell command|system command|subprocess|child process)\b/i,
    suggests: 'execute',
    weight: 2.5,
    why: 'mentions arbitrary code or shell commands',
  },
  {
    pattern:
      /\b(payments?|charges? (a|the) (card|customer)|refunds?|transfers? (funds|money)|purchases?|invoices?|billing|credit card|wallet|funds)\b/i,
    suggests: 'financial',
    weight: 2,
    why: 'talks about payments or money',
  },
  {
    pattern:
      /\b(writes?|saves?|creates?|updates?|modif(y|ies)|inserts?|uploads?|sends?|posts?|publish(es)?|exports?) [^.\n]{0,30}\b(file|files|disk|document|database|record|message|email|repository|page)\b/i,
    suggests: 'write',
    weight: 1,
    why: 'says it writes or sends data',
  },
  {
    pattern: /^\s*(returns?|lists?|gets?|reads?|retrieves?|shows?|fetch(es)?|searches|finds?|counts?|displays?)\b/i,
    suggests: 'read',
    weight: 1,
    why: 'starts by saying what it returns',
  },
];

/** Phrases that point to secrets or credentials being read or exposed. */
export const SECRET_PATTERN =
  /\b(environment variables?|env vars?|secrets?|credentials?|passwords?|api[ _-]?keys?|access tokens?|auth tokens?|bearer tokens?|private keys?|cookies?|session tokens?|ssh keys?|\.env)\b/i;

/** Output that carries secrets: "request headers (including 'Cookie')", "headers with the Authorization token". */
export const SECRET_HEADERS_PATTERN = /\bheaders?\b[^.\n]{0,40}\b(cookies?|set-cookie|authorization|auth tokens?)\b/i;

/** Phrases that say an effect cannot be reversed. */
export const IRREVERSIBLE_PATTERN = /\b(permanently|irreversibl[ey]|cannot be undone|can't be undone|no undo)\b/i;

/** Argument names by the kind of danger they carry. Matched on whole words of the name. */
export const ARGUMENT_KINDS = {
  command: ['command', 'cmd', 'shell', 'bash', 'argv', 'exec'],
  code: ['code', 'script', 'expression', 'javascript', 'js', 'python', 'eval', 'snippet'],
  sql: ['sql', 'statement', 'pipeline', 'cypher'],
  path: ['path', 'paths', 'file', 'files', 'filename', 'filepath', 'dir', 'directory', 'folder', 'cwd', 'root'],
  url: ['url', 'urls', 'uri', 'endpoint', 'href', 'link', 'webhook', 'host', 'hostname', 'domain'],
  amount: ['amount', 'price', 'cost', 'currency', 'quantity', 'total', 'fee'],
  credential: [
    'password',
    'passwd',
    'token',
    'secret',
    'apikey',
    'credential',
    'credentials',
    'auth',
    'authorization',
    'cookie',
    'cookies',
  ],
  recipient: ['to', 'recipient', 'recipients', 'email', 'cc', 'bcc', 'channel', 'phone'],
} as const;

export type ArgumentKind = keyof typeof ARGUMENT_KINDS;

export const ARGUMENT_KIND_LABELS: Record<ArgumentKind, string> = {
  command: 'a shell command',
  code: 'code to run',
  sql: 'a query or pipeline that can write',
  path: 'a filesystem path',
  url: 'a URL',
  amount: 'an amount of money',
  credential: 'a credential',
  recipient: 'a recipient',
};

/** Content a read tool brings back from outside: whoever wrote it can address the model. */
export const UNTRUSTED_CONTENT_PATTERN =
  /\b(web ?pages?|websites?|browser|page text|page content|html|internet|web search|search results?|e-?mails?|inbox|tweets?|rss|feeds?)\b/i;

/** Descriptions longer than this are flagged: length is where instructions hide. */
export const LONG_DESCRIPTION = 10_000;

/**
 * Text that steers the model against the user: the signature of tool poisoning. Four kinds are
 * flagged (hidden characters are found elsewhere): overriding the model's instructions, concealing
 * something from the user, reading or passing on secrets, and orders about the user's other tools.
 * Ordinary usage guidance ("call list_pages first", "you must provide an id", `<IMPORTANT>` around
 * a usage note) is not a flag: it asks for nothing hidden and nothing against the user.
 */
export const MODEL_INSTRUCTION_PATTERNS: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  {
    pattern:
      /\b(ignore|disregard|forget|override) (all |any )?(the |your )?(previous|prior|above|earlier|other|system) (instructions|rules|prompts?|messages)\b/i,
    why: 'tells the model to ignore its instructions',
  },
  {
    pattern: /\b(do not|don't|never) (tell|inform|mention|reveal|show|disclose|alert|notify)[^.\n]{0,20}\b(the )?(user|human|operator)\b/i,
    why: 'tells the model to hide something from the user',
  },
  {
    pattern: /\b(secretly|covertly|without (telling|asking|informing|notifying|alerting) (the )?(user|human|operator))\b/i,
    why: 'tells the model to act without the user knowing',
  },
  {
    pattern:
      /(?<!\b(never|not|n't|without) )\b(read|open|cat|send|include|pass|upload|attach|append)\b[^\n]{0,40}?(~\/\.ssh|id_rsa|\.env\b|\/etc\/passwd|mcp\.json|\.aws\/credentials|credentials|api[ _-]?keys?|private keys?|system prompt)/i,
    why: 'asks the model to read or pass on secrets',
  },
  {
    pattern:
      /\b(fill|put|set|include|repeat|print|output)\b[^.\n]{0,30}\b(the |your )?(system prompt|conversation history|previous messages)\b/i,
    why: 'asks the model to hand over its prompt or conversation',
  },
  {
    pattern:
      /\b((before|after|instead of|whenever you) (are )?(using|calling|running|invoking) (any|every|all|another|other) (other )?(tools?|functions?|servers?)|(all|every|any) (other )?(emails?|messages?|tool calls?) (must|should) (be sent|go|be copied) to)\b/i,
    why: 'gives orders about the user’s other tools',
  },
];

/**
 * Verbs that only move money: a call with one of these in its name is Financial whatever
 * its object. `transfer` and `send` need a money object or an amount argument as well.
 */
export const MONEY_VERBS = new Set(['pay', 'refund', 'purchase', 'buy', 'withdraw', 'payout', 'checkout', 'donate', 'tip']);

/** Argument words that name where money goes. */
export const MONEY_DESTINATION_WORDS = new Set(['account', 'iban', 'wallet', 'recipient', 'payee', 'beneficiary', 'destination', 'to']);

/** Description phrases that say a call moves money or incurs a charge. */
export const MONEY_MOVING_PATTERN =
  /\b(sends? money|transfers? (funds|money|\$?\d)|moves? money|charges? (a|the|their|your) (card|customer|account)|makes? (a )?payments?|pays? (an? |the )?(invoice|bill|amount|recipient)|issues? (a )?refunds?|places? (an? )?(order|purchase)|buys?|purchases?)\b/i;

/**
 * Objects that are the MCP server's own bookkeeping, not the world (rubric, convention 2):
 * turning capture, recording or logging on or off, or choosing the active page, is a Read.
 */
export const BOOKKEEPING_OBJECTS = new Set([
  'capture',
  'capturing',
  'recording',
  'logging',
  'tracing',
  'trace',
  'profiling',
  'monitoring',
  'watching',
  'listening',
  'notifications',
  'subscriber',
]);
export const BOOKKEEPING_SWITCH_VERBS = new Set(['start', 'stop', 'enable', 'disable', 'toggle', 'pause', 'resume', 'begin', 'end']);
/** "Set a page as the active page", "switch to tab 2": choosing what later calls target. */
export const ACTIVE_TARGET_PATTERN =
  /\b(as the (active|current|default)|the (active|current) (page|tab|session|window|target)|switch(es)? to|as (the |a )?context for (future|subsequent|later|following)( tool)? calls|for (future|subsequent|later|following) (tool )?calls)\b/i;
/** Deploying or installing caller-supplied things that then run (convention 8). */
export const DEPLOY_VERBS = new Set(['deploy', 'install', 'upgrade']);
export const DEPLOYABLE_ARGUMENTS = new Set([
  'chart',
  'manifest',
  'manifests',
  'bundle',
  'source',
  'sources',
  'files',
  'dockerfile',
  'image',
  'script',
  'code',
]);

/** Verbs that start an existing workflow, pipeline or job (convention 9), and the kinds of thing they start. */
export const TRIGGER_VERBS = new Set(['run', 'start', 'trigger', 'dispatch', 'rerun', 'retry', 'execute', 'launch', 'invoke']);
export const PIPELINE_OBJECTS = new Set(['workflow', 'workflows', 'pipeline', 'pipelines', 'job', 'jobs', 'build', 'builds', 'deployment']);
/** Verbs that open or close the server's own client connection handle (convention 2). */
export const CONNECTION_VERBS = new Set(['connect', 'disconnect', 'close', 'open']);

/**
 * Things a destructive verb can clear without loss the rubric counts (conventions 2 and 3):
 * captured buffers, derived output, browser-session interception rules and formatting. Clearing them
 * is a Write. Only kinds of thing the rubric names: a route, a trigger or a filter may be stored
 * configuration of a service, and deleting that is a delete (convention 10).
 */
export const EPHEMERAL_OBJECTS = new Set([
  'log',
  'logs',
  'console',
  'output',
  'outputs',
  'cache',
  'caches',
  'buffer',
  'buffers',
  'stats',
  'statistics',
  'counters',
  'intercept',
  'intercepts',
  'interception',
  'highlight',
  'highlights',
  'selection',
  'formatting',
  'format',
  'numbering',
  'overlay',
  'popup',
  'popups',
  'breakpoint',
  'breakpoints',
]);

/**
 * What ending loses only running state (rubric, convention 11): a process, a session, a
 * connection. Killing or terminating one is a Write, not a delete.
 */
export const ENDING_VERBS = new Set(['kill', 'terminate', 'close', 'stop', 'end', 'exit', 'quit', 'disconnect', 'interrupt']);
export const ENDED_OBJECTS = new Set([
  'process',
  'processes',
  'pid',
  'session',
  'sessions',
  'connection',
  'connections',
  'terminal',
  'terminals',
  'shell',
  'tab',
  'tabs',
  'page',
  'browser',
  'subprocess',
]);

/** A removal that keeps the content it wrapped: "keeping its content in place", "content flows into". */
export const KEEPS_CONTENT_PATTERN =
  /\b((keep(s|ing)?|preserv(e|es|ing)|retain(s|ing)?|leav(e|es|ing))\b[^.\n]{0,40}\b(content|text|runs?|data)\b|(content|text|data) (is |are )?(kept|preserved|retained|remains?|flows? into))/i;

/** A deletion recorded as a tracked change, which a reviewer can reject: reversible. */
export const TRACKED_CHANGE_PATTERN = /\b(with tracked changes?|as a tracked (change|deletion)|tracked deletion)\b/i;

/** Finalising revisions (accept or reject tracked changes, flatten markup) throws away text and history for good. */
export const REVISION_OBJECTS = new Set(['change', 'changes', 'revision', 'revisions', 'suggestion', 'suggestions', 'markup']);
export const REVISION_FINALISING_VERBS = new Set(['accept', 'reject', 'flatten', 'squash']);

/** Outputs a Read tool may save without becoming a Write (rubric, convention 4). */
export const REPORT_OBJECTS = new Set(['report', 'log', 'summary', 'screenshot', 'snapshot', 'trace', 'dump', 'pdf']);
export const REPORT_VERBS = new Set(['generate', 'take', 'save', 'capture', 'dump', 'print']);

/** Words of a flag argument that make the call delete, overwrite or archive. */
export const DESTRUCTIVE_FLAG_WORDS = new Set([
  'deleting',
  'deletion',
  'overwriting',
  'removing',
  'archived',
  'archive',
  'trash',
  'trashed',
  'overwrite',
  'replace',
  'drop',
  'delete',
  'remove',
  'purge',
  'wipe',
  'erase',
  'destroy',
  'prune',
]);

/** Flag words that name a state rather than an act: on a search they select, on an update they delete. */
export const STATE_FLAG_WORDS = new Set(['archived', 'trash', 'trashed', 'deleted', 'removed']);

/** Argument names that choose what a multi-purpose tool does; their enum values are verbs. */
export const ACTION_ARGUMENTS = new Set(['action', 'method', 'operation', 'op', 'mode', 'command', 'task', 'verb', 'type']);

/** A code-taking argument's description that says the code runs. */
export const RUNS_CODE_PATTERN = /\b(run|runs|execut\w*|evaluat\w*|inject\w*|eval|interpret\w*|invok\w*|before (the )?page loads?)\b/i;

/** Arguments that carry a query language able to write, or a pipeline. */
export const QUERY_LANGUAGE_PATTERN = /\b(sql|cypher|sparql|graphql|aggregation pipeline|pipeline stages?|\$out|\$merge|query language)\b/i;

/**
 * A call that sends a prompt to a model and returns its text: a Read (the labels' convention
 * for model-calling tools), however its verb reads ("generate", "execute a prompt technique").
 */
export const MODEL_CALL_PATTERN =
  /\b(llms?|ai|language models?|ai models?|models?|prompts?|gpt[\w.-]*|reasoning|chatbots?|providers?|gemini|claude|openai|perplexity|grok|qwen|ollama)\b/i;
/** Argument names through which a model call takes its request. */
export const PROMPT_ARGUMENTS = new Set([
  'prompt',
  'query',
  'question',
  'requirements',
  'context',
  'problem',
  'task',
  'messages',
  'objective',
  'topic',
  'session',
]);

/** Words that make a whole-file overwrite (not an in-place edit). */
export const WHOLESALE_OVERWRITE_PATTERN =
  /\boverwrit\w*\b[^.\n]{0,40}\b(original|source|existing|whole|entire)?\s*(file|document|page|part|path|source|destination|target|data|contents?|database|table|configuration)\b|\b(wholesale|replaces? (the )?(whole|entire))\b/i;

/** "Replace a part with new XML": a lead verb that swaps a whole object for what the caller supplies. */
export const WHOLESALE_VERBS = new Set(['replace', 'replaces', 'overwrite', 'overwrites']);
/** Objects that are a whole (a file, a part, a page, a configuration), not a span inside one. */
export const WHOLE_OBJECTS = new Set(['file', 'part', 'document', 'page', 'config', 'configuration', 'contents', 'body']);

/** Words before `code` that make it an identifier, not a program: `language_code`, `status_code`. */
export const CODE_IDENTIFIER_QUALIFIERS = new Set([
  'language',
  'lang',
  'country',
  'currency',
  'status',
  'zip',
  'postal',
  'error',
  'exit',
  'verification',
  'auth',
  'authorization',
  'promo',
  'coupon',
  'region',
  'locale',
  'color',
  'colour',
  'http',
  'response',
  'invite',
  'discount',
  'product',
  'airport',
  'area',
  'access',
]);
