import { api } from './api';

/** Employee id -> name from the people directory, for roles that may read it (empty otherwise). */
export async function loadNames(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let cursor: string | null = null;
  try {
    for (let page = 0; page < 20; page++) {
      const r = await api.listPeople(cursor, 1000);
      for (const p of r.items) out[p.id] = p.name;
      cursor = r.next_cursor;
      if (!cursor) break;
    }
  } catch {
    // The role may not read the directory: ids are shown instead.
  }
  return out;
}
