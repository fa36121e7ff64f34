/** Every string in a JSON-like value (a finding's tag, edits or data) passed through `show`; bounded depth. */
export function maskDeep(value: unknown, show: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return show(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, show, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, show, depth + 1);
  return out;
}
