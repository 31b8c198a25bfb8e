/**
 * Characters a terminal acts on, or that disguise text: C0 and C1 controls, DEL, bidi overrides
 * and isolates, zero-width characters, the Unicode line and paragraph separators, the BOM.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** One line of text safe for stderr: every such character shown as its \u escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
