import { describe, expect, it } from 'vitest';
import type { Account } from './api';
import { canCoordinate, canReview, homeFor, navFor, nextStatuses } from './roles';

const acct = (roles: { role: Account['roles'][number]['role']; program_id: number | null }[], employee_id: string | null = null): Account => ({
  id: 1, email: 'x@y', display_name: 'X', employee_id, roles, created_at: '',
});

describe('roles', () => {
  it('gives each role its navigation', () => {
    expect(navFor(acct([{ role: 'coordinator', program_id: null }])).map((n) => n.label)).toEqual(['Programs', 'People', 'Training']);
    expect(navFor(acct([{ role: 'admin', program_id: null }])).map((n) => n.label)).toEqual(['Programs', 'People', 'Training', 'Dashboard', 'Audit log']);
    expect(navFor(acct([{ role: 'committee', program_id: 1 }])).map((n) => n.label)).toEqual(['Programs']);
    expect(navFor(acct([{ role: 'executive', program_id: null }])).map((n) => n.label)).toEqual(['Dashboard']);
    expect(navFor(acct([{ role: 'mentee', program_id: null }], 'E1')).map((n) => n.label)).toEqual(['My profile', 'My mentorships', 'My requests', 'Programs', 'Recognition', 'Training']);
    expect(navFor(acct([{ role: 'coordinator', program_id: 2 }])).map((n) => n.label)).toEqual(['Programs', 'People']);
    expect(homeFor(acct([{ role: 'executive', program_id: null }]))).toBe('#/dashboard');
  });

  it('scopes program grants', () => {
    const c = acct([{ role: 'coordinator', program_id: 2 }, { role: 'committee', program_id: 3 }]);
    expect(canCoordinate(c, 2)).toBe(true);
    expect(canCoordinate(c, 3)).toBe(false);
    expect(canReview(c, 3)).toBe(true);
    expect(canReview(c, 4)).toBe(false);
  });

  it('follows the program lifecycle', () => {
    expect(nextStatuses('draft')).toEqual(['enrolling', 'closed']);
    expect(nextStatuses('matching')).toEqual(['active', 'enrolling', 'closed']);
    expect(nextStatuses('closed')).toEqual([]);
  });
});
