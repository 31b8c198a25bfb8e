// The built-in checks are every file of their folder: a virtual module per folder imports them all,
// so a new check is one new file. `cogdoctor:checks` serves checks/ (the checks of a domain) and
// `cogdoctor:client-checks` serves checks/client/ (the checks of `cogdoctor client`). The bundler
// (scripts/build.mjs), the docs generator and the test runner (vitest.config.ts) use these plugins.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Each virtual module and the folder (under the project root) whose files it gathers. */
export const CHECK_MODULES = { 'cogdoctor:checks': 'checks', 'cogdoctor:client-checks': 'checks/client' };

export function checksModuleSource(root, id) {
  const dir = resolve(root, CHECK_MODULES[id]);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .sort()
    : [];
  const imports = files.map((f, i) => `import check${i} from ${JSON.stringify(join(dir, f))};`);
  return `${imports.join('\n')}\nexport default [${files.map((_, i) => `check${i}`).join(', ')}];\n`;
}

/** The esbuild plugin. */
export function esbuildChecksPlugin(root) {
  const filter = new RegExp(`^(${Object.keys(CHECK_MODULES).join('|')})$`);
  return {
    name: 'cogdoctor-checks',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'cogdoctor' }));
      b.onLoad({ filter: /.*/, namespace: 'cogdoctor' }, (args) => ({ contents: checksModuleSource(root, args.path), loader: 'ts', resolveDir: root }));
    },
  };
}

/** The Vite (vitest) plugin. */
export function viteChecksPlugin(root) {
  const resolved = (id) => `\0${id}`;
  return {
    name: 'cogdoctor-checks',
    resolveId: (id) => (id in CHECK_MODULES ? resolved(id) : undefined),
    load: (id) => {
      const module = Object.keys(CHECK_MODULES).find((m) => resolved(m) === id);
      return module ? checksModuleSource(root, module) : undefined;
    },
  };
}
