// Reading the HTML cogdoctor writes without a DOM: its markup is regular (every tag written by the
// renderer, every value escaped), so a tag scanner can hold it to an allowlist.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';

export interface Tag {
  name: string;
  attributes: Record<string, string>;
}

const TAG = /<(\/?)([A-Za-z!][\w-]*)([^<>]*)>/g;
const ATTRIBUTE = /\s+([^\s=/>]+)(?:="([^"]*)")?/g;

/** Every opening tag, with its attributes; fails the test on a `<` that does not start a tag. */
export function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  let covered = 0;
  for (const match of html.matchAll(TAG)) {
    expect(html.slice(covered, match.index), 'text between tags has no raw <').not.toContain('<');
    covered = match.index + match[0].length;
    if (match[1] === '/' || match[2] === '!DOCTYPE') continue;
    const rest = match[3]!;
    const attributes: Record<string, string> = {};
    let consumed = '';
    for (const a of rest.matchAll(ATTRIBUTE)) {
      attributes[a[1]!.toLowerCase()] = a[2] ?? '';
      consumed += a[0];
    }
    expect(consumed, `attributes of <${match[2]}> are name="value" pairs`).toBe(rest.replace(/\s*$/, ''));
    tags.push({ name: match[2]!.toLowerCase(), attributes });
  }
  expect(html.slice(covered)).not.toContain('<');
  return tags;
}

/** The tags and attributes the renderer writes: nothing that runs, loads, submits or embeds. */
export const ALLOWED_TAGS = new Set(
  'html head meta title style body a header main div fieldset legend label input section h1 h2 h3 h4 dl dt dd ol ul li span p code pre article strong table thead tbody tr th td'.split(
    ' ',
  ),
);
export const ALLOWED_ATTRIBUTES = new Set(
  'lang charset http-equiv content name class href rel id type checked aria-label aria-labelledby aria-hidden data-step data-status data-id data-severity scope'.split(
    ' ',
  ),
);

export function steps(html: string): Array<{ step: string; status: string }> {
  return tagsOf(html)
    .filter((t) => t.name === 'li' && t.attributes['class'] === 'step')
    .map((t) => ({ step: t.attributes['data-step']!, status: t.attributes['data-status']! }));
}

/** The style element's text and the hash the Content-Security-Policy allows. */
export function styleAndPolicy(html: string): { styleHash: string; policy: string } {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
  expect(styles).toHaveLength(1);
  const policy = tagsOf(html).find((t) => t.name === 'meta' && t.attributes['http-equiv'] === 'Content-Security-Policy')!.attributes['content']!;
  return { styleHash: createHash('sha256').update(styles[0]![1]!, 'utf8').digest('base64'), policy };
}

/** What every page must be: allowlisted markup only, no script, nothing loaded, the style pinned by its hash, links resolved. */
export function expectInertPage(html: string): void {
  const tags = tagsOf(html);
  for (const tag of tags) {
    expect(ALLOWED_TAGS, `<${tag.name}>`).toContain(tag.name);
    for (const name of Object.keys(tag.attributes)) expect(ALLOWED_ATTRIBUTES, `${name} on <${tag.name}>`).toContain(name);
  }
  expect(html).not.toMatch(/<script/i);
  expect(tags.filter((t) => 'src' in t.attributes || t.name === 'script')).toEqual([]);
  const ids = new Set(tags.flatMap((t) => (t.attributes['id'] ? [t.attributes['id']] : [])));
  for (const tag of tags.filter((t) => t.attributes['href'] !== undefined)) {
    expect(tag.name).toBe('a');
    const href = tag.attributes['href']!;
    if (href.startsWith('#')) expect(ids, `${href} resolves`).toContain(href.slice(1));
    else expect(href).toMatch(/^https?:\/\/[^\s"<>]+$/);
  }
  const { styleHash, policy } = styleAndPolicy(html);
  expect(policy).toBe(`default-src 'none'; style-src 'sha256-${styleHash}'; img-src data:; base-uri 'none'; form-action 'none'`);
}
