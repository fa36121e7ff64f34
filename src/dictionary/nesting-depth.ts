/**
 * How deep mappings and lists may sit inside one another in a dictionary. A dictionary needs 4 (the document,
 * `tags`, an entry, its `values`); the YAML parser recurses once per level and runs out of stack somewhere between
 * 1000 and 2000 levels, depending on the shape, so the file is refused well before that.
 */
export const MAX_NESTING = 100;

/** The message for a document nested deeper than MAX_NESTING, at the collection that goes one level too far. */
export const TOO_DEEP_MESSAGE = `YAML nesting too deep: more than ${MAX_NESTING} levels of mappings and lists inside one another (a dictionary needs 4); is this the right file?`;

interface Open {
  readonly col: number;
  readonly kind: 'seq' | 'map';
}

const isBlank = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isLineEnd = (c: string | undefined): boolean => c === undefined || c === '\n' || c === '\r';
/** Characters after which a quote in a flow collection starts a quoted scalar (inside a plain one it is text). */
const FLOW_NODE_START = new Set(['[', '{', ',', ':', '?']);

/**
 * Offset of the first mapping or list that lies more than `limit` levels deep, or undefined. One pass over the text
 * without recursion, so it runs before the parser (which would overflow the stack first) on any input. It reads as
 * much YAML as nesting takes: block indentation with `-`, `?` and `key:` indicators, flow brackets, quoted scalars,
 * comments, and the lines that belong to a scalar (block scalars, plain continuation lines) are skipped. Where the
 * text is not valid YAML it may count fewer levels than there are, never more, so a file it passes is left to the
 * parser's own errors.
 */
export function nestingTooDeepAt(text: string, limit = MAX_NESTING): number | undefined {
  const n = text.length;
  const stack: Open[] = [];
  let lineStart = 0;
  /** Lines indented more than this belong to the scalar that ended the last entry (undefined: none). */
  let scalarIndent: number | undefined;

  /** Opens (or continues) a block collection at `col`; whether that goes over the limit. */
  const open = (kind: Open['kind'], col: number): boolean => {
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      // A key at the column of a list ends the list: a block list may be a mapping value at the key's own column.
      if (top.col > col || (top.col === col && top.kind === 'seq' && kind === 'map')) stack.pop();
      else break;
    }
    const top = stack.at(-1);
    if (top && top.col === col && top.kind === kind) return false;
    stack.push({ col, kind });
    return stack.length > limit;
  };

  const nextLine = (i: number): number => {
    const nl = text.indexOf('\n', i);
    lineStart = nl < 0 ? n : nl + 1;
    return lineStart;
  };

  /** Offset just past the quoted scalar starting at `i` (or the end of the text, when it never closes). */
  const skipQuoted = (i: number): number => {
    const quote = text[i];
    for (let j = i + 1; j < n; j++) {
      const c = text[j];
      if (c === '\n') lineStart = j + 1;
      else if (quote === '"' && c === '\\') j++;
      else if (c === quote) {
        if (quote === "'" && text[j + 1] === "'") j++;
        else return j + 1;
      }
    }
    return n;
  };

  /** Scans the flow collection opening at `i`: where it ends, or where it goes over the limit. */
  const scanFlow = (i: number): { end: number; tooDeep?: number } => {
    let depth = 0;
    let previous = '[';
    for (let j = i; j < n; j++) {
      const c = text[j]!;
      if (c === '\n') {
        lineStart = j + 1;
      } else if (c === '[' || c === '{') {
        depth++;
        if (stack.length + depth > limit) return { end: j, tooDeep: j };
        previous = c;
      } else if (c === ']' || c === '}') {
        depth--;
        previous = c;
        if (depth === 0) return { end: j + 1 };
      } else if ((c === '"' || c === "'") && FLOW_NODE_START.has(previous)) {
        j = skipQuoted(j) - 1;
        previous = c;
      } else if (c === '#' && isBlank(text[j - 1])) {
        const nl = text.indexOf('\n', j);
        j = (nl < 0 ? n : nl) - 1;
      } else if (!isBlank(c)) {
        previous = c;
      }
    }
    return { end: n };
  };

  const skipSpaces = (i: number): number => {
    while (text[i] === ' ' || text[i] === '\t') i++;
    return i;
  };

  /** Reads the nodes of one line from `i` (its first character past indentation); returns where the next line starts. */
  const readLine = (start: number): number | { tooDeep: number } => {
    let i = start;
    for (;;) {
      const c = text[i];
      const col = i - lineStart;
      if (isLineEnd(c) || c === '#') return nextLine(i); // nothing more: the entry's value is on the lines below
      if ((c === '-' || c === '?') && isBlank(text[i + 1])) {
        if (open(c === '-' ? 'seq' : 'map', col)) return { tooDeep: i };
        i = skipSpaces(i + 1);
      } else if (c === ':' && isBlank(text[i + 1])) {
        i = skipSpaces(i + 1); // the value of an explicit `? key`
      } else if (c === '&' || c === '!') {
        while (!isBlank(text[i])) i++; // an anchor or a tag, before the node it names
        i = skipSpaces(i);
      } else if (c === '|' || c === '>') {
        scalarIndent = stack.at(-1)?.col ?? -1; // a block scalar: its lines are text
        return nextLine(i);
      } else {
        let end: number;
        if (c === '[' || c === '{') {
          const flow = scanFlow(i);
          if (flow.tooDeep !== undefined) return { tooDeep: flow.tooDeep };
          end = flow.end;
        } else if (c === '"' || c === "'") {
          end = skipQuoted(i);
        } else {
          // A plain scalar: a key when `: ` follows on its line (before a comment).
          end = i;
          while (!isLineEnd(text[end]) && !(text[end] === ':' && isBlank(text[end + 1])) && !(text[end] === '#' && isBlank(text[end - 1]))) end++;
        }
        end = skipSpaces(end);
        if (text[end] === ':' && isBlank(text[end + 1])) {
          if (open('map', col)) return { tooDeep: i };
          i = skipSpaces(end + 1);
        } else {
          scalarIndent = stack.at(-1)?.col ?? -1; // a value: lines indented further continue it
          return nextLine(end);
        }
      }
    }
  };

  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    lineStart = i;
    let first = i;
    while (text[first] === ' ') first++;
    const c = text[first];
    if (isLineEnd(c) || c === '#' || (scalarIndent !== undefined && first - i > scalarIndent)) {
      i = nextLine(first);
      continue;
    }
    scalarIndent = undefined;
    if (first === i && (text.startsWith('---', i) || text.startsWith('...', i)) && isBlank(text[i + 3])) {
      stack.length = 0; // a new document (more than one is refused by the parser)
      first = skipSpaces(i + 3);
    } else if (first === i && c === '%') {
      i = nextLine(i); // a directive
      continue;
    }
    const next = readLine(first);
    if (typeof next !== 'number') return next.tooDeep;
    i = next;
  }
  return undefined;
}
