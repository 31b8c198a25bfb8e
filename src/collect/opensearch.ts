import * as aws from './aws.js';
import type { Clients } from './clients.js';
import type { Keep, Reads } from './reads.js';
import { HttpStatusError, readRolesMapping } from './security-plugin.js';
import { domainArnOf, isElasticsearch } from '../model/domain.js';
import type { ReadError, Snapshot } from '../snapshot/types.js';

/** The domain cannot be read at all: nothing to diagnose. */
export class DomainUnreadable extends Error {
  constructor(readonly error: ReadError) {
    super(`${error.operation} failed on ${error.resource} (${error.code})${error.message ? `: ${error.message}` : ''}`);
  }
}

export interface OpenSearchSettings {
  region: string;
  endpointUrl?: string;
  timeoutMs?: number;
}

/** The OpenSearch Service reads: the domains of the region and, through the security plugin, the FGAC role mappings. */
export class OpenSearchReads {
  constructor(
    private readonly reads: Reads,
    private readonly clients: Clients,
    private readonly settings: OpenSearchSettings,
  ) {}

  /** Every domain in the region with Cognito authentication enabled. */
  async cognitoDomainNames(): Promise<string[]> {
    const client = this.clients.opensearch(this.settings.region);
    const listed = await this.reads.read('es:ListDomainNames', this.settings.region, () => client.send(new aws.ListDomainNamesCommand({})));
    if (!listed.ok) throw new DomainUnreadable(listed.error);
    const names = (listed.value.DomainNames ?? [])
      .map((d) => d.DomainName!)
      .filter(Boolean)
      .sort();
    const batches: string[][] = [];
    for (let i = 0; i < names.length; i += 5) batches.push(names.slice(i, i + 5));
    const enabled: string[] = [];
    await Promise.all(
      batches.map(async (batch) => {
        const described = await this.reads.read('es:DescribeDomains', batch.join(','), () =>
          client.send(new aws.DescribeDomainsCommand({ DomainNames: batch })),
        );
        if (!described.ok) throw new DomainUnreadable(described.error);
        for (const status of described.value.DomainStatusList ?? []) {
          // DescribeDomains already returned what DescribeDomain would: no second read per domain.
          this.reads.answered('es:DescribeDomain', status.DomainName!, { DomainStatus: status });
          if (status.CognitoOptions?.Enabled) enabled.push(status.DomainName!);
        }
      }),
    );
    return enabled.sort();
  }

  describeDomain(name: string) {
    const client = this.clients.opensearch(this.settings.region);
    return this.reads.read('es:DescribeDomain', name, () => client.send(new aws.DescribeDomainCommand({ DomainName: name })));
  }

  /** The FGAC role mappings, read from the domain's own endpoint with a signed GET. */
  async readSecurityPlugin(snapshot: Snapshot, keep: Keep): Promise<void> {
    const domain = snapshot.domain;
    const host = domain.Endpoint ?? domain.Endpoints?.['vpc'] ?? Object.values(domain.Endpoints ?? {})[0];
    if (!host) return;
    const apiPrefix = isElasticsearch(domain) ? '_opendistro' : '_plugins';
    const resource = `${domainArnOf(snapshot)}/${apiPrefix}/_security/api/rolesmapping`;
    const { region } = this.settings;
    const signingClient = this.clients.opensearch(region);
    const endpointUrl = this.settings.endpointUrl ?? process.env['AWS_ENDPOINT_URL_ES'] ?? process.env['AWS_ENDPOINT_URL'];
    const result = await this.reads.read('es:ESHttpGet', resource, async () => {
      try {
        return await readRolesMapping({
          host,
          apiPrefix,
          region,
          credentials: () => signingClient.config.credentials(),
          ...(endpointUrl ? { endpointUrl } : {}),
          timeoutMs: this.settings.timeoutMs ?? 10_000,
        });
      } catch (error) {
        // Recorded under the HTTP status name (Forbidden, Unauthorized, Timeout), decision rule 14.
        if (error instanceof HttpStatusError) throw Object.assign(new Error(error.message), { name: error.code, status: error.status });
        throw error;
      }
    });
    const mapping = keep(result);
    if (mapping) snapshot.securityPlugin = { rolesMapping: mapping };
  }
}
