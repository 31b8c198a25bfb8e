import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { ROOT } from './helpers.js';

// What `import … from 'cogdoctor'` gives a plugin at run time (types aside). A name added here is a
// promise to plugin authors: add it on purpose, and document it in the README's plugin section.
const PUBLIC_NAMES = [
  'CheckContext',
  'DataGap',
  'PolicyParseError',
  'accessPolicyUpdate',
  'dashboardsPath',
  'defineCheck',
  'endpointHosts',
  'evaluatePolicy',
  'evaluateSameAccountAccess',
  'identityPoolRolesRoundTrip',
  'openSearchClientOf',
  'parsePolicy',
  'roleNameOf',
  'rolesUsersGet',
  'runChecks',
  'sh',
  'userPoolClientRoundTrip',
];

/** The README's plugin section: from its heading to the next one. */
function pluginSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Writing your own checks');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

describe('the plugin API', () => {
  it('exports exactly the names plugins are promised', () => {
    expect(Object.keys(api).sort()).toEqual(PUBLIC_NAMES);
  });

  it('the built package exports the same names', async () => {
    const built = join(ROOT, 'dist', 'index.mjs');
    expect(existsSync(built), 'run npm run build first').toBe(true);
    expect(Object.keys(await import(pathToFileURL(built).href)).sort()).toEqual(PUBLIC_NAMES);
  });

  it("every name is documented in the README's plugin section", () => {
    const section = pluginSection();
    expect(PUBLIC_NAMES.filter((name) => !section.includes(`\`${name}\``) && !section.includes(`\`${name}(`))).toEqual([]);
  });
});
