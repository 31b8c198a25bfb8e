import type { ReadError } from '../snapshot/types.js';

/**
 * Why a live run read nothing at all, in one line with what to do: a run that read nothing is a
 * setup problem (exit 2), not an incomplete diagnosis (exit 3, which gates may let through).
 */
export function nothingReadMessage(error: ReadError, where: { endpointUrl?: string; region: string }): string {
  const { operation, resource, code } = error;
  const message = error.message ?? '';
  const target = where.endpointUrl ?? `AWS in ${where.region}`;
  if (code === 'CredentialsProviderError' || /could not load credentials|credentials? .*(not found|missing)/i.test(message)) {
    return `no AWS credentials (${message || code}): run aws configure (access keys) or aws sso login --profile NAME, then pass --profile NAME or set AWS_PROFILE`;
  }
  if (/expired/i.test(code) || /expired/i.test(message)) {
    return `the AWS credentials have expired (${code}): sign in again (aws sso login --profile NAME), or refresh the keys`;
  }
  if (/^(InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|InvalidSignature|IncompleteSignature)/i.test(code)) {
    return `AWS refused the credentials (${code}): check them with aws sts get-caller-identity, or pick another with --profile`;
  }
  if (/denied|unauthori/i.test(code)) return `${operation} denied on ${resource}: add ${operation} (see: cogdoctor permissions)`;
  const host = /(?:ENOTFOUND|EAI_AGAIN) (\S+)/.exec(message)?.[1];
  if (host) return `cannot resolve ${host}: check the network${where.endpointUrl ? ' and --endpoint-url' : ', the proxy and --region'}`;
  if (/ECONNREFUSED/.test(message))
    return `nothing answers at ${target} (connection refused): check --endpoint-url, and that the server (cogdoctor emulator) runs`;
  if (code === 'Timeout') return `no answer from ${target} within --timeout: check the network, or raise --timeout`;
  return `${operation} failed on ${resource} (${code})${message ? `: ${message}` : ''}: nothing was read`;
}

/** An --endpoint-url the SDK can send to: an absolute http(s) URL. */
export function checkEndpointUrl(value: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return `--endpoint-url ${JSON.stringify(value)} is not an http(s) URL (like http://127.0.0.1:4566)`;
  return undefined;
}

/** A region is a DNS label of the endpoint's host name (eu-west-1, us-gov-west-1, cn-north-1). */
export function checkRegion(value: string, from: string): string | undefined {
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value) ? undefined : `${from} ${JSON.stringify(value)} is not an AWS region (like eu-west-1)`;
}

/** An endpoint on this machine: an emulator, which takes any credentials. */
export function isLoopback(endpointUrl: string): boolean {
  const host = new URL(endpointUrl).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
