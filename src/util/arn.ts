/** The last segment of an ARN's resource: the role name of `arn:aws:iam::123456789012:role/path/Name`. */
export function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
