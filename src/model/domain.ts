import type { Domain, Snapshot } from '../snapshot/types.js';
// Defined below the model: the check context needs it too.
export { isVpcDomain } from '../snapshot/domain.js';

/** `OpenSearch_2.11` or `Elasticsearch_7.10`, from either API shape (decision rule 12). */
export function engineOf(domain: Domain): string {
  if (domain.EngineVersion) return domain.EngineVersion;
  // The legacy API (DescribeElasticsearchDomain) names an OpenSearch domain `OpenSearch_2.11` there.
  if (domain.ElasticsearchVersion)
    return /^OpenSearch_/.test(domain.ElasticsearchVersion) ? domain.ElasticsearchVersion : `Elasticsearch_${domain.ElasticsearchVersion}`;
  return 'unknown';
}

export function isElasticsearch(domain: Domain): boolean {
  return engineOf(domain).startsWith('Elasticsearch_');
}

/** The path Dashboards (or Kibana) sends users back to after the Cognito login. */
export function dashboardsPath(domain: Domain): string {
  return isElasticsearch(domain) ? '/_plugin/kibana/app/kibana' : '/_dashboards/app/home';
}

export function cognitoEnabled(domain: Domain): boolean {
  return domain.CognitoOptions?.Enabled === true;
}

export function fgacEnabled(domain: Domain): boolean {
  return domain.AdvancedSecurityOptions?.Enabled === true;
}

export function samlEnabled(domain: Domain): boolean {
  return domain.AdvancedSecurityOptions?.SAMLOptions?.Enabled === true;
}

/**
 * The Region and account a snapshot was read in, and its domain: all that the ARNs and commands of a
 * fix are built from, so a check's messages can build them from a problem's data.
 */
export type DomainPlace = Pick<Snapshot, 'region' | 'accountId' | 'domain'>;

/** The place of a snapshot, to carry in a problem's data. */
export function placeOf(snapshot: Snapshot): DomainPlace {
  return { region: snapshot.region, ...(snapshot.accountId !== undefined ? { accountId: snapshot.accountId } : {}), domain: snapshot.domain };
}

export function accountIdOf(snapshot: DomainPlace): string {
  return snapshot.accountId ?? snapshot.domain.ARN?.split(':')[4] ?? '000000000000';
}

export function domainArnOf(snapshot: DomainPlace): string {
  const domain = snapshot.domain;
  return domain.ARN ?? `arn:aws:es:${snapshot.region}:${accountIdOf(snapshot)}:domain/${domain.DomainName}`;
}

/** The partition of the domain (aws, aws-cn, aws-us-gov), for ARNs cogdoctor builds. */
export function partitionOf(snapshot: DomainPlace): string {
  return domainArnOf(snapshot).split(':')[1] ?? 'aws';
}

export interface EndpointHost {
  host: string;
  kind: 'endpoint' | 'dual-stack' | 'vpc' | 'custom';
}

/** Every hostname a browser can open Dashboards on. */
export function endpointHosts(domain: Domain): EndpointHost[] {
  const hosts: EndpointHost[] = [];
  const add = (host: string | undefined, kind: EndpointHost['kind']) => {
    if (host && !hosts.some((h) => h.host === host)) hosts.push({ host, kind });
  };
  add(domain.Endpoint, 'endpoint');
  for (const [key, host] of Object.entries(domain.Endpoints ?? {})) add(host, key.startsWith('vpc') && !key.includes('v2') ? 'vpc' : 'dual-stack');
  add(domain.EndpointV2, 'dual-stack');
  const options = domain.DomainEndpointOptions;
  if (options?.CustomEndpointEnabled && options.CustomEndpoint) add(options.CustomEndpoint, 'custom');
  return hosts;
}

/** The URL a user opens, on the main endpoint (custom endpoint first when there is one). */
export function dashboardsUrl(domain: Domain): string | undefined {
  const hosts = endpointHosts(domain);
  const main = hosts.find((h) => h.kind === 'custom') ?? hosts.find((h) => h.kind === 'endpoint' || h.kind === 'vpc');
  return main ? `https://${main.host}${dashboardsPath(domain).replace(/\/app\/.*$/, '')}` : undefined;
}
