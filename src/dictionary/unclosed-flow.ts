import { isMap, isPair, isSeq } from '../vendor/yaml.js';
import type { Document, Node } from '../vendor/yaml.js';

/** A `[` or `{` that the YAML parser reported as never closed, found where it opened. */
export interface UnclosedFlow {
  /** Offset of the `[` or `{` in the text. */
  readonly offset: number;
  readonly opener: '[' | '{';
  readonly closer: ']' | '}';
}

// The yaml package's words for a flow collection that does not end: "Flow sequence must end with a ]" at the top
// level (MISSING_CHAR), "Flow map in block collection must be sufficiently indented and end with a }" inside a block
// collection (BAD_INDENT). If a later version rewords them, nothing matches and the library's own message is kept.
const UNCLOSED = /^Flow (sequence|map) (?:must|in block collection must be sufficiently indented and) end with a [\]}]/;

/**
 * Where the flow collection that `error` says is never closed opened. The parser reports it at the end of the
 * collection's last item, often the start of the next line, far from the cause; the collection it built keeps that
 * offset as the end of its range. The opener is given only when exactly one flow collection of that kind, starting
 * with that character, ends there: two nested unclosed brackets end at the same offset, and then which one the error
 * is about cannot be told, so undefined (the caller keeps the library's position and message).
 */
export function unclosedFlowOpener(doc: Document.Parsed, text: string, error: { code: string; message: string; pos: readonly [number, number] }): UnclosedFlow | undefined {
  if (error.code !== 'MISSING_CHAR' && error.code !== 'BAD_INDENT') return undefined;
  const kind = UNCLOSED.exec(error.message)?.[1];
  if (kind === undefined) return undefined;
  const opener = kind === 'map' ? '{' : '[';
  const closer = kind === 'map' ? '}' : ']';
  const starts: number[] = [];
  walk(doc.contents, (node) => {
    const range = node.range;
    const flow = (node as { flow?: boolean }).flow === true;
    const rightKind = kind === 'map' ? isMap(node) : isSeq(node);
    if (flow && rightKind && range && range[1] === error.pos[0] && text[range[0]] === opener) starts.push(range[0]);
  });
  return starts.length === 1 ? { offset: starts[0]!, opener, closer } : undefined;
}

/** Every collection node under `node`, mapping keys included (aliases are not followed: their target is walked where it is). */
function walk(node: unknown, visit: (collection: Node) => void): void {
  if (isMap(node)) {
    visit(node);
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      walk(pair.key, visit);
      walk(pair.value, visit);
    }
  } else if (isSeq(node)) {
    visit(node);
    for (const item of node.items) {
      if (isPair(item)) {
        walk(item.key, visit);
        walk(item.value, visit);
      } else walk(item, visit);
    }
  }
}
