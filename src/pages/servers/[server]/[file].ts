import type { APIRoute, GetStaticPaths, InferGetStaticPropsType } from 'astro';
import { getCatalog, serverExports } from '../../../data/catalog';
import { serverKey } from '../../../data/page-keys';
import { EXPORT_FORMATS } from '../../../lib/policy/exports';

const MEDIA_TYPES: Record<string, string> = { json: 'application/json', yaml: 'application/yaml', toml: 'application/toml' };

export const getStaticPaths = (async () => {
  const catalog = await getCatalog();
  // policy.json has its own route; every other format is a file beside it.
  const formats = EXPORT_FORMATS.filter((format) => format.id !== 'policy-json');
  return catalog.servers.flatMap((server) =>
    formats.map((format) => ({
      params: { server: server.slug, file: format.file },
      props: { server: server.slug, format: format.id },
      cacheKey: serverKey(catalog, server.slug),
    })),
  );
}) satisfies GetStaticPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** A server's bundle in one client's or gateway's format, at a stable URL listed in catalog.json. */
export const GET: APIRoute<Props> = async ({ props }) => {
  const catalog = await getCatalog();
  const exported = serverExports(catalog, props.server).find((format) => format.id === props.format)!;
  const extension = exported.file.split('.').pop() ?? 'json';
  return new Response(exported.text, { headers: { 'Content-Type': MEDIA_TYPES[extension] ?? 'text/plain' } });
};
