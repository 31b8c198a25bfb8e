// Module resolve hook, registered by bin/load.js before the first plugin file is imported: a plugin
// that imports 'cogdoctor' (or 'cogdoctor/testing') from a folder without its own copy in a
// node_modules gets the running cogdoctor's, so a plugin copied out of the repository still loads.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const DIST = join(fileURLToPath(new URL('.', import.meta.url)), '../dist');
const OWN = { cogdoctor: 'index.mjs', 'cogdoctor/testing': 'testing.mjs' };

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const own = OWN[specifier];
    if (!own || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return { url: pathToFileURL(join(DIST, own)).href, shortCircuit: true };
  }
}
