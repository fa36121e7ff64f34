/**
 * Tells JSON Lines from a JSON document by its first characters. A document starts with `[`, with a `{` alone on its
 * line (pretty-printed, as the AWS CLI prints), or with `{"ResourceTagMappingList"` / `{"PaginationToken"` (compact);
 * anything else is read as JSON Lines, where a bad first line is reported like any other.
 */
export type InventoryFormat = 'jsonl' | 'document' | 'empty';

export function sniffInventoryFormat(head: string): InventoryFormat {
  let i = 0;
  while (i < head.length && isSpace(head.charCodeAt(i))) i++;
  if (i >= head.length) return 'empty';
  const c = head[i];
  if (c === '[') return 'document';
  if (c !== '{') return 'jsonl';
  i++;
  while (i < head.length && (head[i] === ' ' || head[i] === '\t')) i++;
  if (i >= head.length || head[i] === '\n' || head[i] === '\r') return 'document';
  const rest = head.slice(i, i + 40);
  return rest.startsWith('"ResourceTagMappingList"') || rest.startsWith('"PaginationToken"') ? 'document' : 'jsonl';
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}
