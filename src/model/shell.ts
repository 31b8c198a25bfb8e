// POSIX single-quoting: words made only of safe characters stay bare so commands read
// naturally; anything else is wrapped in single quotes, which the shell takes literally.
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One shell command from its words, every word quoted as needed. */
export function sh(...words: string[]): string {
  return words.map(shellWord).join(' ');
}

/** A JSON value as one quoted shell word. */
export function shJson(value: unknown): string {
  return shellWord(JSON.stringify(value));
}

/**
 * A value as one URL path segment, or undefined when no encoding keeps it one: `.` and `..` are
 * resolved as path steps by curl and by servers whether written plain or percent-encoded.
 * encodeURIComponent leaves `!'()*` bare; they are encoded too, so nothing in the segment has a
 * meaning of its own (`#` fragment, `?` query, `/` and `%` are encoded by encodeURIComponent).
 */
export function urlPathSegment(value: string): string | undefined {
  if (value === '' || value === '.' || value === '..') return undefined;
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A host name as a URL's authority: letters, digits, dots and hyphens only (a `/`, `@`, `#` or `:` would move the request elsewhere). */
export function urlHost(host: string): string | undefined {
  return /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host) ? host : undefined;
}
