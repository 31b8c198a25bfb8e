// The login steps the diagram draws, and one fixture per step whose findings all come from that step's checks.
export const STEP_IDS = ['hosted-ui', 'token-exchange', 'role-selection', 'trust', 'access-policy', 'fgac'];

export const FAILING: Array<[string, string]> = [
  ['hosted-ui', 'fail/redirect-mismatch.json'],
  ['token-exchange', 'fail/pool-region-mismatch.json'],
  ['role-selection', 'fail/rules-mapping-no-match.json'],
  ['trust', 'fail/identity-pool-trust-invalid.json'],
  ['access-policy', 'fail/explicit-deny-blocks-auth-role.json'],
  ['fgac', 'fail/missing-role.json'],
];
