// The offline engine as one module (dist/engine.mjs): for benchmarks and embedding.
export { builtinChecks } from './builtin.js';
export { runChecks } from '../report/assemble.js';
export { parseSnapshot } from '../snapshot/read.js';
