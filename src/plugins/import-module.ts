/**
 * import() of a plugin file. The CLI bundle runs from V8's code cache, where Node 20 cannot call
 * import(): its build puts bin/load.js's importModule in this module's place (scripts/build.mjs).
 */
export function importModule(url: string): Promise<Record<string, unknown>> {
  return import(url) as Promise<Record<string, unknown>>;
}
