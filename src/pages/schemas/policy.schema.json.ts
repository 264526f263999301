import type { APIRoute } from 'astro';
import { policyJsonSchema } from '../../schemas/policy';

/** The policy format's JSON Schema, generated from the zod schema. */
export const GET: APIRoute = ({ site }) => {
  const id = new URL(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}schemas/policy.schema.json`, site).href;
  return new Response(`${JSON.stringify(policyJsonSchema(id), null, 2)}\n`, { headers: { 'Content-Type': 'application/schema+json' } });
};
