/**
 * Orders strings by UTF-16 code unit. Output order only needs to be stable; `localeCompare` would
 * load ICU's collator, which costs several milliseconds of every cold start.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
