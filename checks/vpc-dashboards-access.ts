import {
  clientNameRegions,
  dashboardsPath,
  defineCheck,
  domainArnOf,
  domainRegionOf,
  endpointHosts,
  findDomainClient,
  identityPoolClientIdsOf,
  isVpcDomain,
  sh,
} from '../src/check-kit.js';

/** A domain in a VPC: where the browser is sent back to after the login, and what the VPC is. */
interface VpcOnly {
  DomainName: string;
  VPCId: string | null;
  SubnetIds: string[];
  SecurityGroupIds: string[];
  vpcEndpoint: string | null;
  /** The Dashboards URL on the VPC endpoint the login returns to. */
  callbackUrl: string | null;
  /** Callback URLs of the app client on other hosts (a proxy); absent when the client was not read. */
  callbacksOnOtherHosts?: string[];
  dashboardsPath: string;
  region: string;
}

export default defineCheck({
  id: 'vpc-dashboards-access',
  title: 'A VPC domain with Cognito login: the browser must reach the VPC endpoint',
  description:
    'For a domain in a VPC (DescribeDomain.VPCOptions.VPCId, or an Endpoints key starting with "vpc") with Cognito authentication on, notes that after the Cognito login the browser is sent back to the vpc- endpoint (the callback URL), which only hosts with network access to the VPC can open. ' +
    "cogdoctor cannot see where users browse from, so this is information: it names the documented ways in (Client VPN or another private connection, an SSH tunnel with a SOCKS proxy, an NGINX proxy in the VPC) and lists the OpenSearch app client's callback URLs on other hosts, which a proxy needs (a proxy URL missing from them is redirect-mismatch territory).",
  reads: ['domain', 'userPoolClients', 'identityPool'],
  modes: [
    {
      id: 'vpc-endpoint-unreachable',
      severity: 'info',
      title: 'Dashboards is only reachable from inside the VPC',
      symptom:
        'After a successful Cognito login the browser is redirected to https://vpc-….es.amazonaws.com/_dashboards/… and times out; or Dashboards never loads from outside the VPC.',
      cause:
        'VPC domains are reachable only from inside the network, and the callback URL Cognito sends the browser back to is the VPC endpoint; a browser outside the VPC (or behind an SSH tunnel to localhost) cannot complete the OAuth round trip.',
      fix: 'Reach the VPC from the browser (Client VPN, Direct Connect, SSH tunnel with a SOCKS proxy), or put an NGINX proxy in the VPC and register its URL as callback and sign-out URL.',
      docs: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html',
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
        'https://repost.aws/knowledge-center/opensearch-outside-vpc-nginx',
        'https://repost.aws/knowledge-center/opensearch-outside-vpc-ssh',
      ],
    },
  ],
  messages: {
    'vpc-endpoint-unreachable': {
      message: (d: VpcOnly) =>
        `${d.DomainName} is in ${d.VPCId ? `VPC ${d.VPCId}` : 'a VPC'}: after the Cognito login the browser is sent back to ${d.callbackUrl ?? 'the VPC endpoint'}, which opens only from a network that reaches the VPC${d.callbacksOnOtherHosts?.length ? ` (the app client also lists ${d.callbacksOnOtherHosts.join(', ')}, e.g. a proxy)` : ''}.`,
      fix: (d: VpcOnly) => ({
        summary:
          "Open Dashboards from a network that reaches the VPC: AWS Client VPN, Site-to-Site VPN or Direct Connect, or an SSH tunnel through a bastion with a SOCKS proxy in the browser. Or run an NGINX proxy in the VPC (works for the pool's own users, not federated ones) and add its URL to the app client's callback and sign-out URLs. The security groups must allow HTTPS (443) from there.",
        steps: [
          "Client VPN / Direct Connect: route the users' network to the VPC subnets and allow 443 in the domain's security groups.",
          "SSH tunnel: ssh -D to a bastion in the VPC and set the browser's SOCKS proxy (knowledge center: opensearch-outside-vpc-ssh).",
          `NGINX proxy: follow the knowledge center article opensearch-outside-vpc-nginx and register https://<proxy-host>${d.dashboardsPath} as callback and sign-out URL of the OpenSearch app client.`,
        ],
        commands:
          d.SecurityGroupIds.length > 0 ? [sh('aws', 'ec2', 'describe-security-groups', '--region', d.region, '--group-ids', ...d.SecurityGroupIds)] : [],
      }),
    },
  },
  run(ctx) {
    const domain = ctx.domain;
    if (!isVpcDomain(domain)) return [];
    const hosts = endpointHosts(domain);
    const vpcHost = hosts.find((h) => h.kind === 'vpc')?.host ?? hosts.find((h) => String(h.host).startsWith('vpc-'))?.host ?? domain.Endpoint ?? undefined;
    const path = dashboardsPath(domain);
    const url = vpcHost ? `https://${vpcHost}${path}` : undefined;
    // Context only: read the clients if they are there, never stop on them.
    const client = ctx.snapshot.userPoolClients
      ? findDomainClient(domain, ctx.snapshot.userPoolClients, {
          regions: clientNameRegions(ctx.snapshot),
          identityPoolClientIds: identityPoolClientIdsOf(ctx.snapshot),
        })?.client
      : undefined;
    const own = new Set(hosts.map((h) => String(h.host).toLowerCase()));
    const callbacks = Array.isArray(client?.CallbackURLs) ? client.CallbackURLs.filter((u): u is string => typeof u === 'string') : [];
    const elsewhere = callbacks.filter((u) => {
      try {
        return !own.has(new URL(u).host.toLowerCase());
      } catch {
        return false;
      }
    });
    const vpc = domain.VPCOptions;
    const evidence = {
      VPCId: vpc?.VPCId ?? null,
      SubnetIds: vpc?.SubnetIds ?? [],
      SecurityGroupIds: Array.isArray(vpc?.SecurityGroupIds) ? vpc.SecurityGroupIds.filter((g): g is string => typeof g === 'string') : [],
      vpcEndpoint: vpcHost ?? null,
      callbackUrl: url ?? null,
      ...(client ? { callbacksOnOtherHosts: elsewhere } : {}),
    };
    return [
      {
        mode: 'vpc-endpoint-unreachable',
        resource: domainArnOf(ctx.snapshot),
        data: { ...evidence, DomainName: domain.DomainName, dashboardsPath: path, region: domainRegionOf(ctx.snapshot) },
        evidence,
      },
    ];
  },
});
