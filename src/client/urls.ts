// Cognito compares redirect_uri with CallbackURLs as exact strings; these functions say what differs
// from the nearest registered URL in words a person can act on ("port 8443 vs none").

interface UrlParts {
  scheme: string;
  host: string;
  port: string;
  path: string;
  query: string;
  fragment: string;
}

/** The parts as written (no normalisation: case and an explicit default port matter to Cognito). */
function partsOf(url: string): UrlParts | undefined {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(\?[^#]*)?(#.*)?$/.exec(url);
  if (!match) return undefined;
  return { scheme: match[1]!, host: match[2]!, port: match[3] ?? '', path: match[4]!, query: match[5] ?? '', fragment: match[6] ?? '' };
}

export interface UrlDifference {
  part: 'scheme' | 'host' | 'port' | 'path' | 'trailing slash' | 'query' | 'fragment' | 'url';
  sent: string;
  registered: string;
}

function shown(value: string): string {
  return value === '' ? 'none' : value;
}

/** How `sent` differs from `registered`, part by part; empty when they are the same string. */
export function urlDifferences(sent: string, registered: string): UrlDifference[] {
  if (sent === registered) return [];
  const a = partsOf(sent);
  const b = partsOf(registered);
  if (!a || !b) return [{ part: 'url', sent, registered }];
  const differences: UrlDifference[] = [];
  const compare = (part: UrlDifference['part'], x: string, y: string) => {
    if (x !== y) differences.push({ part, sent: shown(x), registered: shown(y) });
  };
  compare('scheme', a.scheme, b.scheme);
  compare('host', a.host, b.host);
  compare('port', a.port, b.port);
  if (a.path !== b.path && a.path.replace(/\/$/, '') === b.path.replace(/\/$/, '')) compare('trailing slash', a.path, b.path);
  else compare('path', a.path, b.path);
  compare('query', a.query, b.query);
  compare('fragment', a.fragment, b.fragment);
  return differences;
}

/** One difference in words: `port 8443 vs none`, `host case Api.example.com vs api.example.com`. */
export function describeDifference(d: UrlDifference): string {
  const caseOnly = d.sent.toLowerCase() === d.registered.toLowerCase() && d.part !== 'trailing slash';
  return `${d.part}${caseOnly ? ' case' : ''} ${d.sent} vs ${d.registered}`;
}

/** The registered URL closest to `sent`: fewest differing parts, then the same host, then the first listed. */
export function nearestUrl(sent: string, registered: string[]): { url: string; differences: UrlDifference[] } | undefined {
  let best: { url: string; differences: UrlDifference[]; score: number } | undefined;
  const sentHost = partsOf(sent)?.host.toLowerCase();
  for (const url of registered) {
    const differences = urlDifferences(sent, url);
    const sameHost = partsOf(url)?.host.toLowerCase() === sentHost;
    const score = differences.length * 2 + (sameHost ? 0 : 1);
    if (!best || score < best.score) best = { url, differences, score };
  }
  return best ? { url: best.url, differences: best.differences } : undefined;
}
