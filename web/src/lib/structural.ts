// The structural mentoring models (speed, rotation, peer, group, circle): their runs are plans
// laid out by each pair's `slot` (docs/api.md), shown as a timetable, a rotation plan, group or
// circle cards, or peer pairs instead of the one-to-one pairs table.
import type { ModelOptions, Pair } from './api';

export const STRUCTURAL_MODELS = ['speed', 'rotation', 'peer', 'group', 'circle'] as const;
export type StructuralModel = (typeof STRUCTURAL_MODELS)[number];

export function isStructural(model: string | null | undefined): model is StructuralModel {
  return (STRUCTURAL_MODELS as readonly string[]).includes(model ?? '');
}

/** Speed, rotation and circle runs are plans to share; publishing them answers 409. */
export function canPublish(model: string | null | undefined): boolean {
  return model !== 'speed' && model !== 'rotation' && model !== 'circle';
}

/** Swaps and locks are for the one-to-one models only. */
export const canSwap = (model: string | null | undefined) => !isStructural(model);

/** The options' defaults (as the templates give them). */
export const MODEL_OPTION_DEFAULTS: Required<ModelOptions> = {
  slots: 6,
  rounds: 4,
  group_min: 2,
  circle_size: 4,
  mix: false,
};

/** Which options each structural model reads. */
export const MODEL_OPTION_KEYS: Record<StructuralModel, (keyof ModelOptions)[]> = {
  speed: ['slots'],
  rotation: ['rounds'],
  peer: [],  // pairs only: an odd person out stays unpaired
  group: ['group_min', 'mix'],
  circle: ['circle_size', 'mix'],
};

export interface GridRow {
  /** The mentee (by mentee) or the mentor (by mentor) of the row. */
  id: string;
  /** One cell per slot or round: the partner's id, or null (a break). */
  cells: (string | null)[];
  /** Filled cells. */
  meetings: number;
}

export interface Grid {
  columns: number;
  rows: GridRow[];
}

/**
 * Pairs with a slot (speed: the time slot, rotation: the round, both 0-based) as a grid: one row
 * per mentee (or per mentor with `by: 'mentor'`), one column per slot, each cell the partner met
 * in that slot. `columns` is at least `minColumns` (the run's slot or round count, so trailing
 * breaks show) and covers every slot used. Rows are sorted by `label` (the id when none).
 */
export function buildGrid(
  pairs: Pick<Pair, 'mentee_id' | 'mentor_id' | 'slot'>[],
  by: 'mentee' | 'mentor' = 'mentee',
  minColumns = 0,
  label: (id: string) => string = (id) => id,
): Grid {
  let columns = Math.max(0, Math.floor(minColumns));
  for (const p of pairs) if (p.slot >= 0) columns = Math.max(columns, p.slot + 1);
  const rows = new Map<string, GridRow>();
  for (const p of pairs) {
    if (p.slot < 0) continue;
    const [id, other] = by === 'mentee' ? [p.mentee_id, p.mentor_id] : [p.mentor_id, p.mentee_id];
    if (!id) continue;
    let row = rows.get(id);
    if (!row) {
      row = { id, cells: new Array<string | null>(columns).fill(null), meetings: 0 };
      rows.set(id, row);
    }
    if (row.cells[p.slot] === null) row.meetings++;
    row.cells[p.slot] = other;
  }
  const sorted = [...rows.values()];
  sorted.sort((a, b) => label(a.id).localeCompare(label(b.id)) || a.id.localeCompare(b.id));
  return { columns, rows: sorted };
}

export interface Group<P> {
  index: number;
  /** The group's mentor ('' for a peer circle). */
  mentor: string;
  members: P[];
}

/** Group (slot = group index, the mentor is the pair's mentor) or circle (slot = circle index) cards, by index; members best score first. */
export function buildGroups<P extends Pick<Pair, 'mentee_id' | 'mentor_id' | 'slot' | 'score'>>(pairs: P[]): Group<P>[] {
  const groups = new Map<number, Group<P>>();
  for (const p of pairs) {
    let g = groups.get(p.slot);
    if (!g) {
      g = { index: p.slot, mentor: p.mentor_id, members: [] };
      groups.set(p.slot, g);
    }
    g.members.push(p);
  }
  for (const g of groups.values()) g.members.sort((a, b) => b.score - a.score || a.mentee_id.localeCompare(b.mentee_id));
  return [...groups.values()].sort((a, b) => a.index - b.index);
}
