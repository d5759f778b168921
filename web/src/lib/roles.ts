import type { Account, Role } from './api';

export function hasRole(account: Account | null | undefined, role: Role): boolean {
  return !!account?.roles.some((g) => g.role === role);
}
export function isAdmin(account: Account | null | undefined): boolean {
  return hasRole(account, 'admin');
}
/** Admin, or coordinator of this program (or of every program). */
export function canCoordinate(account: Account | null | undefined, programId: number): boolean {
  if (isAdmin(account)) return true;
  return !!account?.roles.some(
    (g) => g.role === 'coordinator' && (g.program_id === null || g.program_id === programId),
  );
}
/** Coordinators, or committee members of this program (or of every program). */
export function canReview(account: Account | null | undefined, programId: number): boolean {
  if (canCoordinate(account, programId)) return true;
  return !!account?.roles.some(
    (g) => g.role === 'committee' && (g.program_id === null || g.program_id === programId),
  );
}
/** Admin or organization-wide coordinator: creates programs, imports people. */
export function coordinatesAll(account: Account | null | undefined): boolean {
  if (isAdmin(account)) return true;
  return !!account?.roles.some((g) => g.role === 'coordinator' && g.program_id === null);
}
export function canReadPeople(account: Account | null | undefined): boolean {
  return isAdmin(account) || hasRole(account, 'coordinator') || hasRole(account, 'committee');
}

export interface NavItem {
  href: string;
  label: string;
}

/** The navigation a role sees (the union for accounts with several roles). */
export function navFor(account: Account | null | undefined): NavItem[] {
  const items: NavItem[] = [];
  const add = (href: string, label: string) => {
    if (!items.some((i) => i.href === href)) items.push({ href, label });
  };
  if (!account) return items;
  const participant = hasRole(account, 'mentor') || hasRole(account, 'mentee');
  if (participant && account.employee_id) {
    add('#/profile', 'My profile');
    add('#/mentorships', 'My mentorships');
    add('#/requests', 'My requests');
  }
  if (isAdmin(account) || hasRole(account, 'coordinator') || hasRole(account, 'committee') || participant) {
    add('#/programs', 'Programs');
  }
  if (isAdmin(account) || hasRole(account, 'coordinator')) add('#/people', 'People');
  if (participant && account.employee_id) add('#/recognition', 'Recognition');
  if ((participant && account.employee_id) || coordinatesAll(account)) add('#/training', 'Training');
  if (isAdmin(account) || hasRole(account, 'executive')) add('#/dashboard', 'Dashboard');
  if (isAdmin(account)) add('#/audit', 'Audit log');
  return items;
}

/** Where a role lands after logging in. */
export function homeFor(account: Account | null | undefined): string {
  const nav = navFor(account);
  if (hasRole(account, 'executive') && !isAdmin(account) && !hasRole(account, 'coordinator')) {
    return '#/dashboard';
  }
  return nav[0]?.href ?? '#/programs';
}

export const STATUS_ORDER = ['draft', 'enrolling', 'matching', 'active', 'closed'] as const;

/** The program lifecycle: draft → enrolling → matching → active → closed, matching → enrolling, open → closed. */
export function nextStatuses(status: string): string[] {
  switch (status) {
    case 'draft':
      return ['enrolling', 'closed'];
    case 'enrolling':
      return ['matching', 'closed'];
    case 'matching':
      return ['active', 'enrolling', 'closed'];
    case 'active':
      return ['closed'];
    default:
      return [];
  }
}
