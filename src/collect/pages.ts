// Every page of a list, through the SDK's paginators, with the guard they lack: the installed
// @smithy/core createPaginator follows whatever token a page names, and only with
// `stopOnSameToken` stops on a token equal to the one before, and then silently, as if the list
// had ended. A server that repeats a token (or cycles through a few) would keep a read going forever.

/** The most pages each list can have: its quota with a wide margin, at the page size cogdoctor asks for. */
export const MAX_PAGES: Record<string, number> = {
  // 60 per page. App clients per pool: 1,000 by default; groups per pool: 10,000 (Cognito quotas).
  'cognito-idp:ListUserPoolClients': 170,
  'cognito-idp:ListGroups': 170,
  // Identity providers per pool: 300; groups one user belongs to: 100.
  'cognito-idp:ListIdentityProviders': 50,
  'cognito-idp:AdminListGroupsForUser': 20,
  // IAM lists, 1,000 per page (IAM may send fewer): a role or user has at most 20 managed policies,
  // a user is in at most 10 groups, inline policies share a 10,240-character budget.
  'iam:ListAttachedRolePolicies': 100,
  'iam:ListRolePolicies': 100,
  'iam:ListAttachedUserPolicies': 100,
  'iam:ListUserPolicies': 100,
  'iam:ListGroupsForUser': 100,
  'iam:ListAttachedGroupPolicies': 100,
  'iam:ListGroupPolicies': 100,
};

/** The page size cogdoctor asks for: the most each service allows. */
export const PAGE_SIZE = { cognito: 60, iam: 1000 } as const;

/** A list whose pages never end: a repeated token, or more pages than the list can have. */
export class EndlessPages extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndlessPages';
  }
}

interface TokenPage {
  NextToken?: string;
  Marker?: string;
  IsTruncated?: boolean;
}

/**
 * Collects every page, failing the read (never looping) when a page repeats a token already seen
 * or the pages outnumber `MAX_PAGES` of the operation. An IAM page that says it is not truncated
 * ends the list whatever Marker it carries, as IAM documents.
 */
export async function allPages<Page extends TokenPage>(operation: string, pages: AsyncIterable<Page>): Promise<Page[]> {
  const maxPages = MAX_PAGES[operation] ?? 100;
  const seen = new Set<string>();
  const list: Page[] = [];
  for await (const page of pages) {
    list.push(page);
    if (page.IsTruncated === false) break;
    const token = page.NextToken ?? page.Marker;
    if (!token) break;
    if (seen.has(token)) throw new EndlessPages(`${operation} sent a page token it had already sent, after ${list.length} pages: the list would never end`);
    if (list.length >= maxPages) throw new EndlessPages(`${operation} sent more than ${maxPages} pages, more than the list can have`);
    seen.add(token);
  }
  return list;
}
