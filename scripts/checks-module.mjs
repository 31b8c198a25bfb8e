// The built-in checks are every file in checks/: this module source imports them all, so a new
// check is one new file. The bundler (scripts/build.mjs) and the test runner (vitest.config.ts)
// both serve it as the virtual module `cogdoctor:checks`.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CHECKS_MODULE_ID = 'cogdoctor:checks';

export function checksModuleSource(root) {
  const dir = resolve(root, 'checks');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const imports = files.map((f, i) => `import check${i} from ${JSON.stringify(join(dir, f))};`);
  return `${imports.join('\n')}\nexport default [${files.map((_, i) => `check${i}`).join(', ')}];\n`;
}
