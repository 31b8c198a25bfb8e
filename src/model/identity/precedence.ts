import type { GroupType } from '../../snapshot/types.js';
import { compareText } from '../../util/order.js';
import { roleBearingGroups } from './role-uses.js';

// Token-based mapping: group precedence (catalog E7, decision rule 16).

export interface PrecedenceTie {
  /** The shared precedence, or null for groups without one. */
  precedence: number | null;
  groups: GroupType[];
}

/**
 * Role-bearing groups that share a precedence while carrying different roles: a user in two of
 * them (and in no role group with a lower value) gets no cognito:preferred_role. Groups with the
 * same role do not tie (the role is still preferred). Groups without a precedence rank after every
 * numbered group (decision rule 16), so they tie only with each other.
 */
export function precedenceTies(groups: GroupType[]): PrecedenceTie[] {
  const byPrecedence = new Map<number | null, GroupType[]>();
  for (const group of roleBearingGroups(groups)) {
    const precedence = typeof group.Precedence === 'number' ? group.Precedence : null;
    byPrecedence.set(precedence, [...(byPrecedence.get(precedence) ?? []), group]);
  }
  return [...byPrecedence.entries()]
    .filter(([, members]) => new Set(members.map((g) => g.RoleArn)).size > 1)
    .map(([precedence, members]) => ({ precedence, groups: [...members].sort((a, b) => compareText(a.GroupName ?? '', b.GroupName ?? '')) }))
    .sort((a, b) => (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER));
}

/** Precedence values not used by any group, from `after` up, for a suggested fix. */
export function freePrecedences(groups: GroupType[], after: number, count: number): number[] {
  const used = new Set(groups.map((g) => g.Precedence).filter((p): p is number => typeof p === 'number'));
  const free: number[] = [];
  for (let p = after + 1; free.length < count; p += 1) if (!used.has(p)) free.push(p);
  return free;
}
