// Re-synthesizes the CDK fixtures under test/fixtures/iac/cdk with the real AWS CDK.
//
// aws-cdk-lib, constructs and the CDK CLI are installed into a temporary folder (they are not
// dependencies of this package); the apps are type-checked (strict) against aws-cdk-lib's own
// types, then each <name>/app.ts is compiled with esbuild and run by `cdk synth`. A single-stack
// app gets <name>/template.json, the stack template byte for byte as synthesized; a multi-stack
// app keeps its cdk.out folder (manifest, templates and asset manifests) so `--cfn <cdk.out>` can
// be tried on it. VERSIONS.json records the tools.
//
//   npm run fixtures:cdk              the versions in VERSIONS.json (the latest when there is none)
//   npm run fixtures:cdk -- --latest  the latest published versions
//   npm run fixtures:cdk -- <name>…   only these apps
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'test/fixtures/iac/cdk');
const VERSIONS = join(FIXTURES, 'VERSIONS.json');
const PACKAGES = ['aws-cdk-lib', 'constructs', 'aws-cdk'];

const args = process.argv.slice(2);
const latest = args.includes('--latest');
const only = args.filter((a) => !a.startsWith('--'));

const apps = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(FIXTURES, d.name, 'app.ts')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
if (apps.length === 0) throw new Error(`no app.ts under ${FIXTURES}${only.length ? ` for ${only.join(', ')}` : ''}`);

const recorded = !latest && existsSync(VERSIONS) ? JSON.parse(readFileSync(VERSIONS, 'utf8')) : {};
const work = mkdtempSync(join(tmpdir(), 'cogdoctor-cdk-'));
// No notices, version check, telemetry or context lookups: synthesis needs no network and no AWS account.
const env = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' };

function run(command, commandArgs, cwd) {
  return execFileSync(command, commandArgs, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function installedVersion(name) {
  return JSON.parse(readFileSync(join(work, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** The stack templates cdk synth wrote, from the cloud assembly's manifest. */
function stackTemplates(outDir) {
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([stack, artifact]) => ({ stack, file: artifact.properties.templateFile }));
}

/**
 * What a reader of the cloud assembly needs: the manifest, the templates and asset manifests; not
 * the assets (Lambda code), the construct tree, reports, or the metadata files (they hold stack
 * traces with this machine's temporary paths).
 */
const ASSEMBLY_FILE = /^(?:manifest\.json|cdk\.out|.+\.(?:template|assets)\.json)$/;

function keepAssembly(outDir, target) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    if (entry.isFile() && ASSEMBLY_FILE.test(entry.name)) copyFileSync(join(outDir, entry.name), join(target, entry.name));
  }
}

try {
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'cdk-fixtures', private: true }));
  const specs = PACKAGES.map((name) => (recorded[name] ? `${name}@${recorded[name]}` : name));
  console.log(`installing ${specs.join(' ')} into ${work}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], work);
  const cdk = join(work, 'node_modules', '.bin', 'cdk');

  // Copied next to node_modules so `aws-cdk-lib` resolves from the temporary folder, for tsc and at run time.
  for (const name of apps) {
    mkdirSync(join(work, 'apps', name), { recursive: true });
    copyFileSync(join(FIXTURES, name, 'app.ts'), join(work, 'apps', name, 'app.ts'));
  }
  const compilerOptions = { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, noEmit: true, skipLibCheck: true, types: [] };
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['apps/*/app.ts'] }));
  console.log('type-checking the apps');
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', work], work);

  for (const name of apps) {
    const script = join(work, 'apps', name, 'app.js');
    await build({ entryPoints: [join(work, 'apps', name, 'app.ts')], outfile: script, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    const outDir = join(work, 'out', name);
    run(cdk, ['synth', '--app', `node ${script}`, '--output', outDir, '--no-notices', '--no-lookups', '--quiet'], work);

    const stacks = stackTemplates(outDir);
    if (stacks.length === 1) {
      copyFileSync(join(outDir, stacks[0].file), join(FIXTURES, name, 'template.json'));
      console.log(`${name}: ${stacks[0].stack} → ${name}/template.json`);
    } else {
      keepAssembly(outDir, join(FIXTURES, name, 'cdk.out'));
      console.log(`${name}: ${stacks.map((s) => s.stack).join(', ')} → ${name}/cdk.out/`);
    }
  }

  const versions = Object.fromEntries(PACKAGES.map((name) => [name, installedVersion(name)]));
  const { version: esbuildVersion } = JSON.parse(readFileSync(join(ROOT, 'node_modules/esbuild/package.json'), 'utf8'));
  writeFileSync(VERSIONS, `${JSON.stringify({ ...versions, esbuild: esbuildVersion, node: process.versions.node.split('.')[0] }, null, 2)}\n`);
  console.log(`versions: ${JSON.stringify(versions)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
