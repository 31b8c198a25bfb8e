// Values from AWS or a snapshot can carry terminal escape sequences or control characters;
// printed raw they could rewrite the screen. Shown as visible escapes instead.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function inert(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One line of text: newlines shown as \n too. */
export function inertLine(text: string): string {
  return inert(text).replace(/\n/g, '\\n');
}
