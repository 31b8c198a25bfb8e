// organizations:ListAccounts (awsJson1_1) and account:ListRegions (restJson1, POST /listRegions),
// answered from the organization file only: nothing it does not hold is invented.
import { ApiError } from './errors.js';
import type { Handler, Params } from './types.js';
import { optionalInt, optionalString, paginate } from './wire.js';

/** Account Management's restJson1 routes the emulator serves (ListRegions API reference: `POST /listRegions`). */
const ACCOUNT_ROUTES: Record<string, string> = { '/listRegions': 'ListRegions' };

export function accountOperation(method: string, path: string): string | undefined {
  return method === 'POST' && Object.hasOwn(ACCOUNT_ROUTES, path) ? ACCOUNT_ROUTES[path] : undefined;
}

export function parseAccountBody(body: string): { params: Params; rejection?: ApiError } {
  if (body.trim() === '') return { params: {} };
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { params: parsed as Params };
  } catch {
    // answered below
  }
  return { params: {}, rejection: new ApiError('ValidationException', 'Request body is not a JSON object') };
}

export const organizationsOperations: Record<string, Handler> = {
  /**
   * Only the management account may list the organization's accounts (ListAccounts API reference:
   * "This operation can be called only from the organization's management account or by a member
   * account that is a delegated administrator"); an account outside any organization gets
   * AWSOrganizationsNotInUseException ("Your account isn't a member of an organization").
   */
  ListAccounts: (call, { caller, directory, pageSize }) => {
    const organization = directory.organization;
    if (!organization?.accounts.some((a) => a.Id === caller.accountId)) {
      throw new ApiError(
        'AWSOrganizationsNotInUseException',
        'Your account is not a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.',
      );
    }
    if (caller.accountId !== organization.managementAccountId) {
      throw new ApiError('AccessDeniedException', "You don't have permissions to access this resource.");
    }
    const page = paginate(organization.accounts, optionalString(call.params, 'NextToken'), optionalInt(call.params, 'MaxResults'), pageSize, {
      operation: call.operation,
      of: organization.managementAccountId,
      invalidTokenCode: 'InvalidInputException',
    });
    return { Accounts: page.items, NextToken: page.next };
  },
};

export const accountOperations: Record<string, Handler> = {
  /**
   * The Regions of the caller's account, or with AccountId of a member account when the caller is
   * the management account ("The management account can't specify its own AccountId": ListRegions
   * API reference). An account the organization file gives no Regions for is not invented.
   */
  ListRegions: (call, { caller, directory, pageSize }) => {
    const organization = directory.organization;
    const asked = optionalString(call.params, 'AccountId');
    let accountId = caller.accountId;
    if (asked !== undefined) {
      const management = organization?.managementAccountId;
      if (caller.accountId !== management)
        throw new ApiError('AccessDeniedException', `User: ${caller.arn} is not authorized to perform: account:ListRegions on account ${asked}`);
      if (asked === management) {
        throw new ApiError(
          'ValidationException',
          "The management account can't specify its own AccountId. Call the operation without the AccountId parameter.",
        );
      }
      if (!organization?.accounts.some((a) => a.Id === asked))
        throw new ApiError('AccessDeniedException', `Account ${asked} is not a member of the organization.`);
      accountId = asked;
    }
    const regions = organization?.regions?.[accountId];
    if (!regions) {
      throw new ApiError(
        'AccessDeniedException',
        `User: ${caller.arn} is not authorized to perform: account:ListRegions on account ${accountId} because the organization file served by this emulator holds no Regions for it`,
      );
    }
    const wanted = call.params['RegionOptStatusContains'];
    const filtered = Array.isArray(wanted) && wanted.length > 0 ? regions.filter((r) => wanted.includes(r.RegionOptStatus)) : regions;
    const page = paginate(filtered, optionalString(call.params, 'NextToken'), optionalInt(call.params, 'MaxResults'), pageSize, {
      operation: call.operation,
      of: `${accountId} ${Array.isArray(wanted) ? wanted.join(',') : ''}`,
      invalidTokenCode: 'ValidationException',
    });
    return { Regions: page.items, NextToken: page.next };
  },
};
