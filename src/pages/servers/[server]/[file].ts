import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { getCatalog } from '../../../data/catalog';
import { serverExports } from '../../../data/policy-views';
import { serverExportStaticPaths } from '../../../data/routes';

const MEDIA_TYPES: Record<string, string> = { json: 'application/json', yaml: 'application/yaml', toml: 'application/toml' };

export const getStaticPaths = serverExportStaticPaths;
type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** A server's bundle in one client's or gateway's format, at a stable URL listed in catalog.json. */
export const GET: APIRoute<Props> = async ({ props: { server, format } }) => {
  const catalog = await getCatalog();
  const exported = serverExports(catalog, server.slug).find((entry) => entry.id === format)!;
  const extension = exported.file.split('.').pop() ?? 'json';
  return new Response(exported.text, { headers: { 'Content-Type': MEDIA_TYPES[extension] ?? 'text/plain' } });
};
