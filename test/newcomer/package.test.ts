import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  license: string;
  dependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  scripts: Record<string, string>;
};
/** The files `npm pack` puts in the package (no script runs for a dry run without prepare/prepack). */
const packed = (
  JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT }).toString()) as [{ files: { path: string }[] }]
)[0].files.map((f) => f.path);

describe('the package', () => {
  it('ships the LICENSE its license field names', () => {
    expect(manifest.license).toBe('Apache-2.0');
    expect(packed).toContain('LICENSE');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });

  it('installs nothing at run time: every runtime dependency is bundled into dist/', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
    // The SDK types the public declarations name are optional peers: type-checking plugin authors install them.
    for (const meta of Object.values(manifest.peerDependenciesMeta ?? {})) expect(meta.optional).toBe(true);
  });

  it('has no install-time script for npm install -g to warn about', () => {
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[script]).toBeUndefined();
  });

  it('every file the README links to is in the package', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((?:\.\/)?([A-Za-z][^)#:\s]*)\)/g)].map((m) => m[1]!);
    const mentioned = [...readme.matchAll(/`((?:docs|examples)\/[\w./-]+)`/g)].map((m) => m[1]!.replace(/\/$/, ''));
    expect(links.length).toBeGreaterThan(0);
    for (const target of [...links, ...mentioned])
      expect(
        packed.some((file) => file === target || file.startsWith(`${target}/`)),
        target,
      ).toBe(true);
  });
});
