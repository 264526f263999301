import type { APIRoute, GetStaticPaths, InferGetStaticPropsType } from 'astro';
import { getCatalog, toolPolicyInput } from '../../../data/catalog';
import { assertValidPolicy, policyJson, serverBundle } from '../../../lib/policy';

export const getStaticPaths = (async () => {
  const catalog = await getCatalog();
  return catalog.servers.map((server) => ({ params: { server: server.slug }, props: { server } }));
}) satisfies GetStaticPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** The server's policy bundle as a static file. Validated before it is written. */
export const GET: APIRoute<Props> = async ({ props }) => {
  const catalog = await getCatalog();
  const tools = (catalog.toolsByServer.get(props.server.slug) ?? []).filter((tool) => !tool.removed);
  const bundle = assertValidPolicy(serverBundle(tools.map(toolPolicyInput)), `server ${props.server.slug}`);
  return new Response(policyJson(bundle), { headers: { 'Content-Type': 'application/json' } });
};
