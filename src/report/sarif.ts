// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): one rule per failure id, one result
// per finding. A domain is not a source file, so each result carries the resource ARN as a logical
// location and, for code scanning UIs that need one, a physical location: the file that defines the
// domain (--sarif-location), else the snapshot or baseline file the run read.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Location, Log, ReportingDescriptor, Result } from 'sarif';
import { modeOf } from '../catalog/index.js';
import type { FailureMode, Finding, Report, Severity } from '../engine/types.js';
import { compareText } from '../util/order.js';
import { jsonText } from '../util/inert.js';

export interface SarifOptions {
  version: string;
  /** The failure modes of plugin checks, for their rules' full descriptions (the built-in ones come from the catalog). */
  catalog?: FailureMode[];
  /** --sarif-location: the file results point at, e.g. the IaC that defines the domain. */
  location?: string;
}

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };
// GitHub reads security-severity as CVSS-like: 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };
/** The key of partialFingerprints that carries the finding's uid. */
export const FINGERPRINT_KEY = 'cogdoctorFindingUid/v1';

/** A lone UTF-16 surrogate (a name no file system gives in UTF-8) cannot be percent-encoded: U+FFFD stands for it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function artifactLocation(path: string): ArtifactLocation {
  const file = path.replace(LONE_SURROGATE, '\uFFFD');
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const relative = file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function ruleName(id: string): string {
  return id
    .split(/[-/]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function helpMarkdown(mode: Pick<FailureMode, 'symptom' | 'cause' | 'fix' | 'docs'>): string {
  return [
    `**What users see:** ${mode.symptom}`,
    '',
    `**Why:** ${mode.cause}`,
    '',
    `**Fix:** ${mode.fix}`,
    '',
    "The result's message names the real values; `cogdoctor explain <failure-id>` prints this help, and the text or Markdown report prints the fix commands with the real ids.",
    ...(mode.docs.length ? ['', ...mode.docs.map((doc) => `- <${doc}>`)] : []),
  ].join('\n');
}

/** The rule of a failure id: from the catalog entry, else from what the finding itself says. */
function rule(finding: Finding, catalog: FailureMode[]): ReportingDescriptor {
  const mode = catalog.find((m) => m.id === finding.id) ?? modeOf(finding.id);
  return sarifRule(
    mode ?? {
      id: finding.id,
      severity: finding.severity,
      title: finding.title,
      symptom: finding.symptom,
      cause: finding.title,
      fix: finding.fix.summary,
      docs: finding.docs,
    },
  );
}

/** The SARIF rule of one failure mode. */
export function sarifRule(mode: FailureMode): ReportingDescriptor {
  return {
    id: mode.id,
    name: ruleName(mode.id),
    shortDescription: { text: mode.title },
    fullDescription: { text: mode.cause },
    help: { text: `What users see: ${mode.symptom}\nWhy: ${mode.cause}\nFix: ${mode.fix}`, markdown: helpMarkdown(mode) },
    ...(mode.docs[0] ? { helpUri: mode.docs[0] } : {}),
    defaultConfiguration: { level: LEVEL[mode.severity] },
    properties: {
      tags: ['security', 'opensearch', 'cognito', 'configuration'],
      precision: mode.inferred ? 'medium' : 'high',
      'problem.severity': PROBLEM_SEVERITY[mode.severity],
      'security-severity': SECURITY_SEVERITY[mode.severity],
    },
  };
}

function location(finding: Finding, file: string | undefined): Location {
  const name = finding.resource.slice(finding.resource.lastIndexOf('/') + 1) || finding.resource;
  // With --cfn the finding knows its line in the template.
  const startLine = finding.location && finding.location.file === file ? (finding.location.line ?? 1) : 1;
  return {
    ...(file ? { physicalLocation: { artifactLocation: artifactLocation(file), region: { startLine } } } : {}),
    logicalLocations: [{ name, fullyQualifiedName: finding.resource, kind: 'resource' }],
  };
}

function result(finding: Finding, report: Report, ruleIndex: number | undefined, file: string | undefined): Result {
  return {
    ruleId: finding.id,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [location(finding, file)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.uid },
    ...(finding.new !== undefined ? { baselineState: finding.new ? 'new' : 'unchanged' } : {}),
    // No `status`: the standard names it status, the draft-07 schema copies in circulation name it state,
    // and consumers (GitHub, GitLab, the SARIF SDK) read a suppression without one as accepted.
    ...(finding.muted ? { suppressions: [{ kind: 'external', justification: finding.muteReason ?? '' }] } : {}),
    properties: {
      check: finding.check,
      ...(report.target.domain !== undefined ? { domain: report.target.domain } : {}),
      ...(report.target.userPoolClient ? { userPoolId: report.target.userPoolClient.userPoolId, clientId: report.target.userPoolClient.clientId } : {}),
      region: report.target.region,
      symptom: finding.symptom,
      evidence: finding.evidence,
      fix: finding.fix,
      ...(finding.muteExpired ? { muteExpired: finding.muteExpires } : {}),
    },
  };
}

/**
 * The results of one report, each pointing at its rule by `ruleIndex(failure id)` (left out when it
 * gives none) and located at `location` (--sarif-location), else the report's snapshot or baseline file.
 */
export function sarifResults(report: Report, ruleIndex: (id: string) => number | undefined, location?: string): Result[] {
  const file = location ?? report.target.file ?? report.baseline?.file;
  return report.findings.map((finding) => result(finding, report, ruleIndex(finding.id), file));
}

export function renderSarif(reports: Report[], options: SarifOptions): string {
  const catalog = options.catalog ?? [];
  const rules: ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  const findings = reports.flatMap((report) => report.findings.map((finding) => ({ report, finding })));
  for (const { finding } of [...findings].sort((a, b) => compareText(a.finding.id, b.finding.id))) {
    if (index.has(finding.id)) continue;
    index.set(finding.id, rules.length);
    rules.push(rule(finding, catalog));
  }
  const results = reports.flatMap((report) => sarifResults(report, (id) => index.get(id), options.location));
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      { tool: { driver: { name: 'cogdoctor', version: options.version, semanticVersion: options.version, rules } }, results, columnKind: 'unicodeCodePoints' },
    ],
  };
  return jsonText(log);
}
