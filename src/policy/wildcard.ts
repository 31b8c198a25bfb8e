/**
 * IAM wildcard match: `*` is any run of characters (including none), `?` is exactly one.
 * Two pointers with one backtrack point (at most pattern × text steps) rather than a RegExp, whose backtracking
 * makes hostile patterns such as "*a*a*a*a*b" exponential.
 */
export function matchesWildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let lastStar = -1;
  let textAtLastStar = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      lastStar = p;
      textAtLastStar = t;
      p += 1;
    } else if (lastStar !== -1) {
      p = lastStar + 1;
      textAtLastStar += 1;
      t = textAtLastStar;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** Splits arn:partition:service:region:account:resource; the resource part may itself contain colons. */
function arnSegments(arn: string): string[] | undefined {
  const segments = arn.split(':');
  if (segments.length < 6) return undefined;
  return [...segments.slice(0, 5), segments.slice(5).join(':')];
}

function segmentsMatch(patternSegments: string[], segments: string[]): boolean {
  return patternSegments.every((segment, index) => matchesWildcard(segment, segments[index] ?? ''));
}

/** ArnLike/ArnEquals: each colon-delimited segment is matched separately, case-sensitively. */
export function matchesArnPattern(pattern: string, arn: string): boolean {
  const patternSegments = arnSegments(pattern);
  const segments = arnSegments(arn);
  return patternSegments !== undefined && segments !== undefined && segmentsMatch(patternSegments, segments);
}

/** A Resource entry: "*" or an ARN pattern; anything that is not a full ARN is matched as a plain wildcard string. */
export function matchesResourcePattern(pattern: string, resource: string): boolean {
  const patternSegments = arnSegments(pattern);
  const segments = arnSegments(resource);
  if (patternSegments !== undefined && segments !== undefined) return segmentsMatch(patternSegments, segments);
  return matchesWildcard(pattern, resource);
}
