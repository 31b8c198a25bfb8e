// Every value cogdoctor prints may come from the account, a plugin or a server. Printed raw, a
// control character could rewrite the terminal (ESC, C1 CSI/OSC, DEL), a bidi control or a
// zero-width character could make text read differently from what it is (U+202E, U+2066–2069,
// U+200B–200F), and a line break could start a line of its own (a fake `$ ` command). These
// helpers are the one sanitizer of every format: text, Markdown and JUnit show such characters
// as visible escapes; JSON and SARIF keep the value exact but write them as \u escapes.

/** C0 but the line feed, DEL, C1, bidi controls and marks, zero-width and invisible format characters, U+2028/2029, BOM. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

function visibleEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text that may span lines: everything unsafe but the line feed shown as a visible escape. */
export function inert(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}

/** One line of text: line feeds shown as \n too, so a value cannot start a line of its own. */
export function inertLine(text: string): string {
  return inert(text).replace(/\n/g, '\\n');
}

/** What JSON.stringify leaves raw in strings (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/** A JSON document whose strings carry no raw control, bidi or invisible character: each is a \u escape, so the values stay exact. */
/** One value as one line of JSON Lines, escaped as jsonText escapes. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
