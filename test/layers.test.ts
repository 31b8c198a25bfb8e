import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

// The layers of src/, bottom first. A module may import its own layer and the layers below it,
// never one above: utilities know nothing of snapshots, the model nothing of the engine, the
// engine nothing of reports, and only the entry points (the CLI, the plugin API, the check kit,
// cogdoctor/testing and the engine bundle) see everything. Type-only imports count too.
const LAYERS: Array<{ name: string; paths: string[] }> = [
  { name: 'utilities', paths: ['src/util/', 'src/errors.ts', 'src/redact.ts', 'src/sensitive-members.ts'] },
  { name: 'policy language', paths: ['src/policy/'] },
  { name: 'snapshot', paths: ['src/snapshot/'] },
  // What a check sees and returns: the context and the check types.
  { name: 'check context', paths: ['src/context/', 'src/engine/types.ts'] },
  { name: 'model', paths: ['src/model/'] },
  { name: 'engine', paths: ['src/engine/'] },
  { name: 'gate', paths: ['src/gate/'] },
  { name: 'access', paths: ['src/access/'] },
  // Every failure mode, gathered from the checks, the access command and the undetected list: what trace and the reports word findings with.
  { name: 'catalog', paths: ['src/catalog/'] },
  { name: 'trace', paths: ['src/trace/'] },
  { name: 'client command', paths: ['src/client/'] },
  { name: 'plugins', paths: ['src/plugins/'] },
  { name: 'pre-deploy readers', paths: ['src/iac/'] },
  { name: 'emulator', paths: ['src/emulator/'] },
  { name: 'collector', paths: ['src/collect/'] },
  { name: 'report', paths: ['src/report/'] },
  { name: 'diff', paths: ['src/diff/'] },
  { name: 'entry points', paths: ['src/cli/', 'src/index.ts', 'src/check-kit.ts', 'src/testing.ts', 'src/engine/bundle.ts'] },
];

/** The layer of a file under src/: the most specific path that holds it. */
function layerOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach((layer, index) => {
    for (const path of layer.paths) {
      const holds = path.endsWith('/') ? file.startsWith(path) : file === path;
      if (holds && path.length > bestLength) [best, bestLength] = [index, path.length];
    }
  });
  return best;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative module a file names: import and export … from, import type, import(). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) =>
      relative(ROOT, resolve(ROOT, dirname(file), name))
        .split('\\')
        .join('/')
        .replace(/\.js$/, '.ts'),
    );
}

describe('the layers of src/ point one way', () => {
  const files = sourceFiles('src');

  it('every source file is in a layer', () => {
    expect(files.filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  it('no module imports a layer above its own', () => {
    const upward = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('src/') && layerOf(target) > layerOf(file))
        .map((target) => `${file} (${LAYERS[layerOf(file)]!.name}) imports ${target} (${LAYERS[layerOf(target)]!.name})`),
    );
    expect(upward).toEqual([]);
  });

  it('sees the imports it judges: an upward import is caught', () => {
    // The check on a known file, so that a parser that found no import could not pass the test above.
    expect(importsOf('src/report/target.ts')).toContain('src/model/domain.ts');
    expect(layerOf('src/model/domain.ts')).toBeLessThan(layerOf('src/report/target.ts'));
    expect(layerOf('src/context/check-context.ts')).toBeLessThan(layerOf('src/model/fgac.ts'));
  });
});
