import { describe, expect, it } from 'vitest';
import { buildGrid, buildGroups, canPublish, canSwap, isStructural } from './structural';

const p = (mentee_id: string, mentor_id: string, slot: number, score = 0.5) => ({ mentee_id, mentor_id, slot, score });

describe('structural runs', () => {
  it('lays speed pairs out as mentees × slots, breaks as null', () => {
    const pairs = [p('E2', 'M1', 0), p('E1', 'M2', 0), p('E1', 'M1', 2), p('E2', 'M2', 1)];
    const g = buildGrid(pairs, 'mentee', 3);
    expect(g.columns).toBe(3);
    expect(g.rows).toEqual([
      { id: 'E1', cells: ['M2', null, 'M1'], meetings: 2 },
      { id: 'E2', cells: ['M1', 'M2', null], meetings: 2 },
    ]);
  });
  it('turns to one row per mentor and keeps trailing empty slots', () => {
    const g = buildGrid([p('E1', 'M1', 0), p('E2', 'M1', 1)], 'mentor', 4);
    expect(g).toEqual({ columns: 4, rows: [{ id: 'M1', cells: ['E1', 'E2', null, null], meetings: 2 }] });
  });
  it('widens to the slots used and sorts rows by label', () => {
    const names: Record<string, string> = { E1: 'Zoe', E2: 'Adam' };
    const g = buildGrid([p('E1', 'M1', 4), p('E2', 'M1', 0), p('E3', '', -1)], 'mentee', 2, (id) => names[id] ?? id);
    expect(g.columns).toBe(5);
    expect(g.rows.map((r) => r.id)).toEqual(['E2', 'E1']);
    expect(buildGrid([]).columns).toBe(0);
  });
  it('collects groups and circles by index, best score first', () => {
    const groups = buildGroups([p('E1', 'M2', 1, 0.4), p('E2', 'M1', 0), p('E3', 'M2', 1, 0.9)]);
    expect(groups.map((g) => [g.index, g.mentor, g.members.map((m) => m.mentee_id)])).toEqual([
      [0, 'M1', ['E2']],
      [1, 'M2', ['E3', 'E1']],
    ]);
    expect(buildGroups([p('E1', '', 0, 1), p('E2', '', 0, 1)])[0]).toMatchObject({ index: 0, mentor: '' });
  });
  it('knows which runs can be published or swapped', () => {
    expect(['speed', 'rotation', 'peer', 'group', 'circle'].every(isStructural)).toBe(true);
    expect(isStructural('traditional')).toBe(false);
    expect(['speed', 'rotation', 'circle'].some(canPublish)).toBe(false);
    expect(canPublish('group') && canPublish('peer') && canPublish('traditional')).toBe(true);
    expect(canSwap('peer') || canSwap('group')).toBe(false);
    expect(canSwap('virtual')).toBe(true);
  });
});
