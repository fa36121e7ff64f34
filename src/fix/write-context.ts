import type { PlanEdit, PlannedResource } from './plan.js';
import type { RawChange } from './effects.js';
import type { WriteContext } from './backend.js';

/**
 * An undo's restore of a key the fix renamed away, naming the key its value is copied back from (the rename's new
 * key, removed by the same undo). Plain (non-PII) keys only. The field rides on the plan's `add` edit (plans are
 * JSON; readers of other edits ignore it), so an owner API that keeps per-key settings can carry them back.
 */
export type RestoreEdit = Extract<PlanEdit, { op: 'add' }>;

/** The key an edit's new key is copied from: a rename's old key, or the rename's new key for an undo's restore. */
export function copiedFromOf(e: PlanEdit): { key: string; from: string } | undefined {
  if (e.op === 'rename') return { key: e.to, from: e.from };
  if (e.op !== 'add') return undefined;
  const from = e.copiedFrom;
  return typeof from === 'string' ? { key: e.key, from } : undefined;
}

/**
 * What an owner API may need beyond the keys and values of one resource's write (raw, in memory only): the values
 * the keys to delete held when they were read (a conditional delete), the key each new key is copied from (a
 * rename, or undo's rename back, as the plan names it: never guessed), and the new keys that hold personal data
 * (undo restoring removed PII).
 */
export function writeContextOf(planned: PlannedResource, changes: readonly RawChange[], live: Readonly<Record<string, string>>): WriteContext {
  const expected: Record<string, string> = {};
  for (const c of changes) if (c.after === undefined && live[c.key] !== undefined) expected[c.key] = live[c.key] as string;

  const copiedFrom: Record<string, string> = {};
  for (const e of planned.edits) {
    const copy = copiedFromOf(e);
    if (copy) copiedFrom[copy.key] = copy.from;
  }

  const personal = new Set(changes.filter((c) => (c.type === 'pii-remove' || c.type === 'pii-redact') && c.after !== undefined).map((c) => c.key));
  return { expected, copiedFrom, personal };
}
