import type { PlannedResource } from './plan.js';
import type { RawChange } from './effects.js';
import type { WriteContext } from './backend.js';

/**
 * What an owner API may need beyond the keys and values of one resource's write (raw, in memory only): the values
 * the keys to delete held when they were read (a conditional delete), the key each new key is copied from (a
 * rename, or undo's rename back), and the new keys that hold personal data (undo restoring removed PII).
 */
export function writeContextOf(planned: PlannedResource, changes: readonly RawChange[], live: Readonly<Record<string, string>>): WriteContext {
  const expected: Record<string, string> = {};
  for (const c of changes) if (c.after === undefined && live[c.key] !== undefined) expected[c.key] = live[c.key] as string;

  const copiedFrom: Record<string, string> = {};
  for (const e of planned.edits) if (e.op === 'rename') copiedFrom[e.to] = e.from;
  if (Object.keys(copiedFrom).length === 0) {
    // An undo plan renames back as an add and a remove: paired only when there is one of each, never guessed.
    const added = changes.filter((c) => c.type === 'rename-key' && c.before === undefined && c.after !== undefined);
    const removed = changes.filter((c) => c.type === 'rename-key' && c.after === undefined);
    if (added.length === 1 && removed.length === 1) copiedFrom[added[0]!.key] = removed[0]!.key;
  }

  const personal = new Set(changes.filter((c) => (c.type === 'pii-remove' || c.type === 'pii-redact') && c.after !== undefined).map((c) => c.key));
  return { expected, copiedFrom, personal };
}
