import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { compareText } from '../util/order.js';
import { isRecord } from '../util/records.js';
import { escapePath, glob as tinyglob } from 'tinyglobby';
import type { Snapshot } from './types.js';
import { validateSnapshotShape } from './validate.js';
import { redactDeep } from '../redact.js';
import { inertLine } from '../util/inert.js';
import { InputFileError, jsonErrorMessage, readInputFile } from './input.js';

/**
 * A snapshot cogdoctor cannot use, in one printable line: the file (when read from one), the
 * first bad field (`$.roles[1].Arn`) and what is wrong with it.
 */
export class SnapshotError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly file?: string,
  ) {
    // One line, whatever keys or bytes the input held: it is printed on stderr as is. A problem
    // with the file as a whole (not JSON, a FIFO) has no field: path ''.
    super(inertLine([file, path, problem].filter((part) => part).join(': ')));
    this.name = 'SnapshotError';
  }
}

/** Refuse inputs that would cost unbounded memory or time before parsing them. */
export const MAX_SNAPSHOT_BYTES = 20 * 1024 * 1024;

/** What a file that is not a snapshot is, when cogdoctor has a flag for it. */
function otherInputHint(text: string, document: unknown): string {
  const template = isRecord(document)
    ? document['schema'] === undefined && (isRecord(document['Resources']) || 'AWSTemplateFormatVersion' in document)
    : /^(?:AWSTemplateFormatVersion|Resources)\s*:/m.test(text);
  if (template) return ': it looks like a CloudFormation template, check it with --cfn FILE';
  if (isRecord(document) && 'format_version' in document && ('planned_values' in document || 'resource_changes' in document))
    return ': it looks like a Terraform plan, check it with --terraform-plan FILE';
  return '';
}

export function parseSnapshot(text: string): Snapshot {
  if (text.length > MAX_SNAPSHOT_BYTES) {
    throw new SnapshotError('$', `the snapshot is ${Math.round(text.length / 1048576)} MB; the limit is ${MAX_SNAPSHOT_BYTES / 1048576} MB`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new SnapshotError('$', `${jsonErrorMessage(error)}${otherInputHint(text, undefined)}`);
  }
  const problem = validateSnapshotShape(unwrapCliResponses(document));
  if (problem)
    throw new SnapshotError(problem.path, `${problem.message}${problem.path === '$' || problem.path === '$.schema' ? otherInputHint(text, document) : ''}`);
  // A hand-written snapshot may still carry a client secret: it never goes further than here.
  return redactDeep(document as Snapshot);
}

/** Parts a person pasted as the whole AWS CLI response, and the member snapshot.md means. */
const RESPONSE_WRAPPERS: Record<string, string> = { domain: 'DomainStatus', userPool: 'UserPool', userPoolDomain: 'DomainDescription' };
const ITEM_WRAPPERS: Record<string, string> = { userPoolClients: 'UserPoolClient', roles: 'Role' };
const LIST_WRAPPERS: Record<string, string> = { userPoolGroups: 'Groups', identityProviders: 'Providers' };

/** `{"UserPool": {…}}` → `{…}`: the object is the wrapper's only member. */
const inside = (value: unknown, member: string): unknown => (isRecord(value) && Object.keys(value).length === 1 && member in value ? value[member] : value);

/**
 * A snapshot built by hand from `aws … --output json` often keeps the response around the part
 * (`{"UserPool": {…}}` from describe-user-pool, `{"Role": {…}}` from get-role): the part is what
 * it wraps, so the checks read the fields, not a wrapper with none of them.
 */
function unwrapCliResponses(document: unknown): unknown {
  if (!isRecord(document)) return document;
  for (const [part, member] of Object.entries(RESPONSE_WRAPPERS)) if (part in document) document[part] = inside(document[part], member);
  for (const [part, member] of Object.entries(LIST_WRAPPERS)) if (part in document) document[part] = inside(document[part], member);
  for (const [part, member] of Object.entries(ITEM_WRAPPERS)) {
    const list = document[part];
    if (Array.isArray(list)) document[part] = list.map((item) => inside(item, member));
  }
  return document;
}

export async function readSnapshotFile(file: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readInputFile(file, MAX_SNAPSHOT_BYTES);
  } catch (error) {
    if (error instanceof InputFileError) throw new SnapshotError('', error.message);
    throw error;
  }
  try {
    return parseSnapshot(text);
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(error.path, error.problem, file);
    throw error;
  }
}

/**
 * Files as given; a folder stands for the `.json` files in it, in name order; a glob the shell
 * left alone (quoted, or from a config) for the files it matches: `*` and `?` within a name,
 * `**` for any depth of folders.
 */
export async function expandSnapshotPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
      if (names.length === 0) throw new SnapshotError('', 'the folder holds no .json snapshot file', path);
      files.push(...names.map((name) => join(path, name)));
    } else if (!info && /[*?]/.test(path)) {
      const matched = await globFiles(path);
      if (matched.length === 0) throw new SnapshotError('', `no file matches ${path}`);
      files.push(...matched);
    } else {
      files.push(path);
    }
  }
  return files;
}

async function globFiles(pattern: string): Promise<string[]> {
  // The folders before the first wildcard are the base, named as given; the rest is the glob.
  const segments = pattern.split(/[\\/]+/);
  const literal = segments.findIndex((segment) => /[*?]/.test(segment));
  const base = segments.slice(0, literal).join(sep) || (isAbsolute(pattern) ? sep : '.');
  // Only `*`, `?` and `**` are wildcards: brackets, braces and the like in a name match themselves.
  const glob = segments
    .slice(literal)
    .map((segment) =>
      segment
        .split(/([*?]+)/)
        .map((part, index) => (index % 2 === 1 ? part : escapePath(part)))
        .join(''),
    )
    .join('/');
  // Like the shell: a wildcard does not match a leading dot (dot: false), and a folder is not a file.
  const matched = await tinyglob(glob, { cwd: base, dot: false, onlyFiles: true, expandDirectories: false });
  return matched.map((file) => join(base, file)).sort(compareText);
}
