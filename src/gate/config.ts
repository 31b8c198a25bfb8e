import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import schema from '../../schema/config.schema.json' with { type: 'json' };
import type { FailOn } from '../engine/exit.js';
import { jsonPath } from '../snapshot/validate.js';
import { dirname, resolve } from 'node:path';

/** A known, accepted finding: kept in the report, marked muted, not failing the run. */
export interface Mute {
  /** Failure id. */
  id: string;
  /** Resource ARN pattern, `*` and `?` wildcards; every resource when absent. */
  resource?: string;
  /** Account id pattern (`*`, `?`), matched against the report's account: one account or a set of them in an organization sweep. */
  account?: string;
  /** Region pattern (`*`, `?`), matched against the report's Region. */
  region?: string;
  reason: string;
  /** Last day the mute applies, YYYY-MM-DD (UTC). */
  expires?: string;
}

export interface GateConfig {
  file: string;
  failOn?: FailOn;
  skip: string[];
  mutes: Mute[];
  /** Plugin check folders, resolved against the config file's folder. */
  checksDirs: string[];
}

/** The ids a config may name: check ids (skip) and failure ids (skip, mutes). */
export interface KnownIds {
  checks: ReadonlySet<string>;
  failures: ReadonlySet<string>;
}

/** A config cogdoctor cannot use; the message names the file and the path of the bad field. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${file}: ${path}: ${problem}`);
    this.name = 'ConfigError';
  }
}

interface RawConfig {
  'fail-on'?: FailOn;
  skip?: string[];
  'checks-dirs'?: string[];
  mutes?: Mute[];
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** What the schema's `pattern` of each field asks for, in words. */
const PATTERN_PROBLEM: Record<string, string> = {
  expires: 'must be a date, YYYY-MM-DD',
  account: 'must be a 12-digit account id, * and ? wildcards allowed',
  region: 'must be a Region name such as eu-west-1, * and ? wildcards allowed',
};

function problemOf(error: ErrorObject): { path: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: jsonPath(error.instancePath, String(params['missingProperty'])), message: 'is required' };
    case 'additionalProperties':
      return { path: jsonPath(error.instancePath, String(params['additionalProperty'])), message: 'is not a known field' };
    case 'enum':
      return {
        path: jsonPath(error.instancePath),
        message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'pattern':
      return {
        path: jsonPath(error.instancePath),
        message: PATTERN_PROBLEM[error.instancePath.slice(error.instancePath.lastIndexOf('/') + 1)] ?? 'must not be blank',
      };
    default:
      return { path: jsonPath(error.instancePath), message: error.message ?? 'is invalid' };
  }
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Parses and validates a config file's text; every problem is a ConfigError with the field's path. */
export function parseConfig(text: string, file: string, known?: KnownIds): GateConfig {
  const document = parseDocument(text, { uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    const at = yamlError.linePos?.[0];
    throw new ConfigError(
      file,
      '$',
      `not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ''}: ${yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const raw: unknown = document.toJS({ maxAliasCount: 100 }) ?? {};
  validator ??= new Ajv({ allErrors: false }).compile(schema);
  if (!validator(raw)) {
    const { path, message } = problemOf(validator.errors![0]!);
    throw new ConfigError(file, path, message);
  }
  const config = raw as RawConfig;
  for (const [index, mute] of (config.mutes ?? []).entries()) {
    if (mute.expires !== undefined && !isCalendarDate(mute.expires)) {
      throw new ConfigError(file, `$.mutes[${index}].expires`, `${mute.expires} is not a calendar date`);
    }
  }
  const parsed: GateConfig = {
    file,
    ...(config['fail-on'] ? { failOn: config['fail-on'] } : {}),
    skip: config.skip ?? [],
    mutes: (config.mutes ?? []).map((m) => ({
      id: m.id,
      reason: m.reason.trim(),
      ...(m.resource ? { resource: m.resource } : {}),
      ...(m.account ? { account: m.account } : {}),
      ...(m.region ? { region: m.region } : {}),
      ...(m.expires ? { expires: m.expires } : {}),
    })),
    checksDirs: (config['checks-dirs'] ?? []).map((dir) => resolve(dirname(file), dir)),
  };
  if (known) assertConfigIds(parsed, known);
  return parsed;
}

/** Skips and mutes must name checks and failure ids that exist (built-in or loaded from plugins). */
export function assertConfigIds(config: GateConfig, known: KnownIds): void {
  for (const [index, id] of config.skip.entries()) {
    if (!known.checks.has(id) && !known.failures.has(id)) {
      throw new ConfigError(config.file, `$.skip[${index}]`, `unknown check or failure id ${JSON.stringify(id)} (see: cogdoctor checks)`);
    }
  }
  for (const [index, mute] of config.mutes.entries()) {
    if (!known.failures.has(mute.id)) {
      throw new ConfigError(config.file, `$.mutes[${index}].id`, `unknown failure id ${JSON.stringify(mute.id)} (see: cogdoctor checks)`);
    }
  }
}
