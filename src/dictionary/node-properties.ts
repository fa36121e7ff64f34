import { isMap, isPair, isSeq } from '../vendor/yaml.js';

/**
 * Where the anchor (`&name`) or tag (`!!binary`) of a node is written. The YAML library keeps a node's range from its
 * content on (for a block collection, its first entry, often on the next line) and not where its properties are,
 * which is what a message about them should point at.
 *
 * Looks back from `nodeStart` over white space, line ends and end-of-line comments for at most the node's two
 * properties (an anchor and a tag, in either order); undefined when the text there is something else.
 */
export function propertyOffset(text: string, nodeStart: number, sigil: '&' | '!'): number | undefined {
  let end = nodeStart;
  for (let properties = 0; properties < 2; properties++) {
    end = endOfPrevious(text, end);
    if (end <= 0) return undefined;
    let start = end;
    while (start > 0 && !' \t\n\r'.includes(text[start - 1]!)) start--;
    const first = text[start];
    if (first === sigil) return start;
    if (first !== '&' && first !== '!') return undefined;
    end = start;
  }
  return undefined;
}

/** The offset just past the last character before `offset` that is not white space or part of a trailing comment. */
function endOfPrevious(text: string, offset: number): number {
  let j = offset;
  for (;;) {
    while (j > 0 && (text[j - 1] === ' ' || text[j - 1] === '\t')) j--;
    if (j === 0 || (text[j - 1] !== '\n' && text[j - 1] !== '\r')) return j;
    // Past a line end: the line before, without a comment (` #` outside quotes is close enough for properties).
    j--;
    if (text[j - 1] === '\r' && text[j] === '\n') j--;
    const lineStart = text.lastIndexOf('\n', j - 1) + 1;
    const line = text.slice(lineStart, j);
    const comment = line.startsWith('#') ? 0 : line.indexOf(' #');
    j = comment < 0 ? j : lineStart + comment;
  }
}

/** Calls `visit` on each child of a mapping (its keys and values) or a sequence; nothing for other nodes. */
export function forEachChild(node: unknown, visit: (child: unknown) => void): void {
  if (!isMap(node) && !isSeq(node)) return;
  for (const item of node.items) {
    if (isPair(item)) {
      visit(item.key);
      visit(item.value);
    } else visit(item);
  }
}
