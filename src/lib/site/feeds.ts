import { Feed } from 'feed';
import type { ChangeEvent } from '../catalog/changes.ts';
import { xmlText } from '../text-safety/text.ts';

export interface FeedInput {
  title: string;
  /** Absolute URL of the feed itself and of the page it mirrors. */
  self: string;
  page: string;
  /** Absolute URL of a tool page, from server and slug. */
  toolUrl: (server: string, slug: string) => string;
  serverName: (server: string) => string;
  events: readonly ChangeEvent[];
  /** Site host, for tag: URIs that stay the same from build to build. */
  host: string;
}

/** How many entries a feed carries; /changes/ lists them all. */
export const FEED_ENTRIES = 100;

/** A change in one line, in the site's own words; tool and server names revealed as on the pages. */
export function changeTitle(event: ChangeEvent, serverName: string): string {
  const tool = xmlText(event.tool);
  const server = xmlText(serverName);
  const severity = `${event.severity[0]!.toUpperCase()}${event.severity.slice(1)}`;
  switch (event.kind) {
    case 'added':
      return `${severity}: ${tool} added on ${server}`;
    case 'removed':
      return `${severity}: ${tool} removed from ${server}`;
    case 'changed':
      return `${severity}: ${tool} on ${server}: definition changed (${(event.fields ?? []).join(', ')})`;
  }
}

function changeSummary(event: ChangeEvent): string {
  return `${event.reasons.map(xmlText).join(' ')} ${kindSummary(event)}`.trim();
}

function kindSummary(event: ChangeEvent): string {
  switch (event.kind) {
    case 'added':
      return 'A new tool: review its classification and policy before an agent uses it.';
    case 'removed':
      return 'The server no longer lists this tool; its page stays for the record.';
    case 'changed':
      return `The definition changed after it was catalogued (${(event.fields ?? []).join(', ')}): the rug-pull signal. Review it before trusting the tool again.${
        event.previousDescription !== undefined ? ` The description was: “${xmlText(event.previousDescription).slice(0, 500)}”` : ''
      }`;
  }
}

/**
 * The feed library declares titles and summaries as `type="html"`, so a reader renders them as
 * HTML: untrusted text is HTML-escaped first, and shows as the text it is (this also keeps `]]>`
 * out of the CDATA sections the library writes).
 */
function asHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** An Atom feed of changes, written with a feed library; entry ids are tag: URIs that never change. */
export function changesFeed(input: FeedInput): string {
  // Serious changes come first, so the newest is not always the first entry.
  const newest = input.events.reduce((latest, event) => (event.date > latest ? event.date : latest), '1970-01-01');
  const feed = new Feed({
    title: xmlText(input.title),
    id: input.self,
    link: input.page,
    updated: new Date(`${newest}T00:00:00Z`),
    generator: 'Policy Atlas',
    feedLinks: { atom: input.self },
    copyright: 'Tool names and descriptions are quoted from their servers as untrusted text.',
  });
  for (const event of input.events.slice(0, FEED_ENTRIES)) {
    feed.addItem({
      title: asHtml(changeTitle(event, input.serverName(event.server))),
      id: `tag:${input.host},${event.date}:${encodeURIComponent(event.key).replace(/%2F/g, '/')}`,
      link: input.toolUrl(event.server, event.slug),
      date: new Date(`${event.date}T00:00:00Z`),
      description: asHtml(changeSummary(event)),
    });
  }
  return feed.atom1();
}
