/** TagResources / UntagResources limits. */
export const MAX_ARNS_PER_CALL = 20;
export const MAX_TAGS_PER_CALL = 50;

export interface TagBatch {
  readonly arns: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface UntagBatch {
  readonly arns: readonly string[];
  readonly keys: readonly string[];
}

function limitArns(n: number): number {
  return Math.max(1, Math.min(MAX_ARNS_PER_CALL, Math.floor(n)));
}

/** `items` in runs of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Groups resources that need exactly the same payload, so one call carries up to 20 of them. A payload over 50
 * entries (only a hand-edited plan has one) is split into parts of 50 first; each part batches on its own.
 */
function group<P>(items: readonly { arn: string; parts: readonly P[] }[], id: (p: P) => string, arnsPerCall: number): { payload: P; arns: string[] }[] {
  const groups = new Map<string, { payload: P; arns: string[] }>();
  for (const item of items) {
    for (const part of item.parts) {
      const k = id(part);
      const g = groups.get(k);
      if (g) g.arns.push(item.arn);
      else groups.set(k, { payload: part, arns: [item.arn] });
    }
  }
  const out: { payload: P; arns: string[] }[] = [];
  for (const g of groups.values()) {
    const arns = [...new Set(g.arns)].sort();
    for (const slice of chunk(arns, arnsPerCall)) out.push({ payload: g.payload, arns: slice });
  }
  return out;
}

/** TagResources calls for `items` (each resource's tags to write), as few as identical payloads allow. */
export function batchTagWrites(items: readonly { arn: string; tags: Readonly<Record<string, string>> }[], arnsPerCall = MAX_ARNS_PER_CALL): TagBatch[] {
  const parts = items
    .filter((i) => Object.keys(i.tags).length > 0)
    .map((i) => {
      const entries = Object.entries(i.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return { arn: i.arn, parts: chunk(entries, MAX_TAGS_PER_CALL) };
    });
  return group(parts, (p) => JSON.stringify(p), limitArns(arnsPerCall)).map((g) => ({ arns: g.arns, tags: Object.fromEntries(g.payload) }));
}

/** UntagResources calls for `items` (each resource's keys to remove). */
export function batchUntagWrites(items: readonly { arn: string; keys: readonly string[] }[], arnsPerCall = MAX_ARNS_PER_CALL): UntagBatch[] {
  const parts = items
    .filter((i) => i.keys.length > 0)
    .map((i) => ({ arn: i.arn, parts: chunk([...new Set(i.keys)].sort(), MAX_TAGS_PER_CALL) }));
  return group(parts, (p) => JSON.stringify(p), limitArns(arnsPerCall)).map((g) => ({ arns: g.arns, keys: g.payload }));
}

/** The fewest calls any batching can make: for each distinct payload, ceil(resources / 20). */
export function minimumCalls(payloadIds: Iterable<string>): number {
  const counts = new Map<string, number>();
  for (const id of payloadIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  let total = 0;
  for (const n of counts.values()) total += Math.ceil(n / MAX_ARNS_PER_CALL);
  return total;
}
