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
