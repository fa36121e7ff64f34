import { LineCounter, isMap, isPair, isScalar, isSeq, isAlias, parseDocument } from '../vendor/yaml.js';
import type { Document, Node } from '../vendor/yaml.js';
import type { DictionaryProblem } from './dictionary-error.js';
import { formatPath, type PathSegment } from './path.js';
import { unclosedFlowOpener } from './unclosed-flow.js';
import { show } from './pending-problem.js';
import { nestingTooDeepAt, TOO_DEEP_MESSAGE } from './nesting-depth.js';
import { forEachChild } from './node-properties.js';

/** A parsed YAML document with what it takes to turn nodes back into line:col. */
export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

export function positionAt(source: YamlSource, offset: number): Position {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, col };
}

/** Mapping keys YAML reads as something other than the text written (see hiddenKeyProblems). */
export interface HiddenKeys {
  readonly problems: DictionaryProblem[];
  /** The key nodes reported: what the schema says about the key it made of them is the same mistake again. */
  readonly keys: ReadonlySet<Node>;
  /**
   * Entries the data must not hold, as their key would turn into other text there: a list or a mapping (JavaScript
   * makes text of it), or null (`~:`, which becomes '').
   */
  readonly dropped: ReadonlyArray<{ readonly map: { readonly items: unknown[] }; readonly pair: unknown }>;
}

export interface ParsedYaml {
  readonly source: YamlSource;
  /**
   * What stops the document from being read: nesting deeper than MAX_NESTING, or the first syntax error (the count
   * of the others in its message).
   */
  readonly errors: DictionaryProblem[];
  /** Keys YAML reads as other than written; reported with the schema's problems (empty after a syntax error). */
  readonly hiddenKeys: HiddenKeys;
  readonly warnings: DictionaryProblem[];
}

const NO_HIDDEN_KEYS: HiddenKeys = { problems: [], keys: new Set(), dropped: [] };

/** Parses YAML text, keeping positions. Never throws: syntax errors come back as positioned problems. */
export function parseYamlSource(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const refuse = (message: string, offset?: number): ParsedYaml => {
    const source: YamlSource = { file, text, doc: parseDocument(''), lineCounter };
    const at = offset === undefined ? {} : lineColOf(text, offset);
    return { source, errors: [{ file, ...at, message }], hiddenKeys: NO_HIDDEN_KEYS, warnings: [] };
  };
  // Before the parser, which recurses per level: too deep, it overflows the stack rather than report an error.
  const tooDeep = nestingTooDeepAt(text);
  if (tooDeep !== undefined) return refuse(TOO_DEEP_MESSAGE, tooDeep);
  let doc: Document.Parsed;
  try {
    // merge: YAML 1.1 `<<: *anchor` merge keys, so entries can share a mandatory list or a set of aliases.
    // logLevel error: the library would print its own warnings (a list as a key) to stderr; ours say what to do.
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true, logLevel: 'error' });
  } catch (err) {
    // The nesting scan reads less YAML than the parser: should some shape it misses still be too deep for it.
    if (err instanceof RangeError) return refuse(TOO_DEEP_MESSAGE);
    throw err;
  }
  const source: YamlSource = { file, text, doc, lineCounter };
  const syntaxErrors = doc.errors.flatMap((e): YamlError[] => {
    if (e.code !== 'MULTIPLE_DOCS') return [e];
    // Generators often end a file with `---` (an empty document): only a later document with content is refused.
    const content = laterDocumentWithContent(text, e.pos[0]);
    return content === undefined ? [] : [{ ...e, pos: [content, content] }];
  });
  const errors = syntaxErrors.length > 0 ? [firstSyntaxError(source, syntaxErrors)] : [];
  const hiddenKeys = syntaxErrors.length > 0 ? NO_HIDDEN_KEYS : hiddenKeyProblems(source);
  const warnings = doc.warnings.map((e) => ({ file, ...positionAt(source, e.pos[0]), message: yamlMessage(e.code, e.message, 'YAML') }));
  return { source, errors, hiddenKeys, warnings };
}

/** 1-based line and column (UTF-16 units, as the YAML positions) of an offset in the text. */
function lineColOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

interface YamlError {
  readonly code: string;
  readonly message: string;
  readonly pos: readonly [number, number];
}

/**
 * The earliest syntax error, alone: after one, the parser is out of step with the text and what it reports next
 * (one unclosed `[` gives five errors) is mostly its consequence, so the rest are only counted. An unclosed `[` or
 * `{` is shown where it opened rather than where the parser gave up, when that can be told for sure.
 */
function firstSyntaxError(source: YamlSource, errors: readonly YamlError[]): DictionaryProblem {
  const first = errors.reduce((a, b) => (b.pos[0] < a.pos[0] ? b : a));
  const more = errors.length - 1;
  const after = more === 0 ? '' : ` (and ${more} more YAML error${more === 1 ? '' : 's'} after it)`;
  const unclosed = unclosedFlowOpener(source.doc, source.text, first);
  if (unclosed) {
    const { opener, closer } = unclosed;
    const what = opener === '[' ? 'a list in brackets' : 'a mapping in braces';
    const message = `YAML syntax error: unclosed '${opener}' (${what} must end with '${closer}'; if the '${opener}' is part of the text, quote the value)`;
    return { file: source.file, ...positionAt(source, unclosed.offset), message: message + after };
  }
  return { file: source.file, ...positionAt(source, first.pos[0]), message: syntaxMessage(source, first) + after };
}

/** A syntax error in our words, saying what to do for the mistakes dictionaries make. */
function syntaxMessage(source: YamlSource, error: YamlError): string {
  // The library's word for a stack overflow while it builds a collection: nesting the scan did not count.
  if (error.code === 'RESOURCE_EXHAUSTION') return TOO_DEEP_MESSAGE;
  const message = yamlMessage(error.code, error.message, 'YAML syntax error');
  if (error.code === 'BAD_DQ_ESCAPE') {
    // Regular expressions are the usual victims: "^CC\-\d{4}$" holds two escapes YAML does not have.
    return `${message} in a double-quoted string; quote it with single quotes instead ('...'), where a backslash stays as written, as regular expressions need`;
  }
  if (error.code === 'DUPLICATE_KEY') {
    const repeated = repeatedKeyAt(source, error.pos[0]);
    if (repeated) {
      const { key, first } = repeated;
      return `YAML syntax error: key ${show(key)} appears twice in this mapping (first on line ${first.line}); keep one`;
    }
  }
  return message;
}

/** The mapping key starting at `offset` that repeats an earlier key of its mapping, and where that one is. */
function repeatedKeyAt(source: YamlSource, offset: number): { key: string; first: Position } | undefined {
  const search = (node: unknown): { key: string; first: Position } | undefined => {
    if (isSeq(node)) {
      for (const item of node.items) {
        const hit = search(item);
        if (hit) return hit;
      }
    } else if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && key.range) {
          const text = String(key.value);
          const earlier = seen.get(text);
          if (key.range[0] === offset && earlier !== undefined) return { key: text, first: positionAt(source, earlier) };
          if (earlier === undefined) seen.set(text, key.range[0]);
        }
        const hit = search(pair.value);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return search(source.doc.contents);
}

function yamlMessage(code: string, message: string, kind: string): string {
  // parseDocument reads the first document and says to call another function for the rest: advice for programmers.
  // Its position is the start of the second document.
  if (code === 'MULTIPLE_DOCS') return 'a dictionary is one YAML document; this file holds more than one';
  // The yaml package's messages are sentences; keep the first line and lower-case it to read like ours.
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return `${kind}: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}

// A line with nothing in it: blank, a comment, or a document start (---) or end (...) marker with at most a comment.
const EMPTY_LINE = /^[ \t]*(?:#.*)?$|^(?:---|\.\.\.)(?:[ \t]+#.*)?[ \t]*$/;
const DOCUMENT_START = /^---(?:[ \t]|$)/;

/**
 * Where the first document with content starts, from `from` (the start of the second document) on: its `---`, or
 * its first line when it has none; undefined when every later document is empty (only blank lines, comments and
 * markers). A `%` directive counts as content: it announces a document.
 */
function laterDocumentWithContent(text: string, from: number): number | undefined {
  let documentStart: number | undefined;
  for (let at = from; at < text.length; ) {
    const newline = text.indexOf('\n', at);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(at, end).replace(/\r$/, '');
    if (DOCUMENT_START.test(line)) documentStart = at;
    else if (line.startsWith('...')) documentStart = undefined;
    if (!EMPTY_LINE.test(line)) return documentStart ?? at;
    at = end + 1;
  }
  return undefined;
}

// Numbers, booleans and null; not strings, and not the symbol of a `<<` merge key.
const isPlainNonString = (value: unknown): boolean =>
  value === null || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';

/**
 * Mapping keys YAML reads as something other than what was written, which the JavaScript object would hide:
 * `012345678901:` is the number 12345678901 (the account id would silently lose its leading zero); `123456789012:`
 * and `"123456789012":` are two keys to YAML but one property (the last would silently win); `? [a, b]` is a list
 * used as a key. Such keys must be quoted text.
 */
function hiddenKeyProblems(source: YamlSource): HiddenKeys {
  const problems: DictionaryProblem[] = [];
  const keys = new Set<Node>();
  const dropped: Array<{ map: { items: unknown[] }; pair: unknown }> = [];
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        const range = isScalar(key) || isMap(key) || isSeq(key) ? key.range : undefined;
        const where = range ? positionAt(source, range[0]) : {};
        const problem = (message: string): void => {
          problems.push({ file: source.file, ...where, path: formatPath(path), message });
          keys.add(key as Node);
        };
        if (isMap(key) || isSeq(key)) {
          problem(`a key must be text, got a ${isMap(key) ? 'mapping' : 'list'}`);
          dropped.push({ map: node, pair });
        } else if (isScalar(key) && typeof key.value !== 'symbol') {
          const text = String(key.value);
          // `null:` reads as null too, though String(null) spells it the same; `~:` and `Null:` are caught by the spelling.
          const nullKey = key.value === null && key.source !== undefined && key.source !== '';
          if (isPlainNonString(key.value) && key.source !== undefined && (key.source !== text || nullKey)) {
            problem(`key ${key.source} reads as ${text} in YAML; quote it: "${key.source}"`);
            if (key.value === null) dropped.push({ map: node, pair });
          } else if (seen.has(text)) problem(`key ${JSON.stringify(text)} is repeated (once quoted, once not); keep one`);
          seen.add(text);
        }
        walk(pair.value, [...path, isScalar(key) ? String(key.value) : '?']);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(source.doc.contents, []);
  return { problems, keys, dropped };
}

export interface Located {
  /** The node at the path (or the deepest ancestor found). */
  readonly node: Node | null;
  /** The mapping key node of the last segment, when the path ends at a mapping entry. */
  readonly keyNode?: Node;
  /** Whether the whole path was found. */
  readonly found: boolean;
  /** Every node on the way, from the document's root to `node`, aliases and what they name included. */
  readonly trail: readonly Node[];
  /** The first alias the path goes through: the data there is written elsewhere, at the alias's anchor. */
  readonly alias?: Node;
}

const ALIAS_TARGETS = new WeakMap<YamlSource, Map<Node, Node>>();

/**
 * The node an alias names: the last node anchored with its name before it, in document order (as the YAML library
 * resolves it, without walking the whole document for every alias: a problem is located per alias on its path).
 */
function aliasTarget(source: YamlSource, alias: Node): Node | null {
  let targets = ALIAS_TARGETS.get(source);
  if (targets === undefined) {
    const found = new Map<Node, Node>();
    const anchors = new Map<string, Node>();
    const visit = (node: unknown): void => {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) found.set(node, target);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const { anchor } = node as { anchor?: string };
      if (typeof anchor === 'string') anchors.set(anchor, node as Node);
      forEachChild(node, visit);
    };
    visit(source.doc.contents);
    targets = found;
    ALIAS_TARGETS.set(source, targets);
  }
  return targets.get(alias) ?? null;
}

/** Finds the YAML node at a path, following aliases. */
export function locate(source: YamlSource, path: readonly PathSegment[]): Located {
  let node: Node | null = source.doc.contents;
  let keyNode: Node | undefined;
  let alias: Node | undefined;
  const trail: Node[] = node ? [node] : [];
  const result = (found: boolean, at: Node | null, key: Node | undefined): Located => ({ node: at, ...(key ? { keyNode: key } : {}), found, trail, ...(alias ? { alias } : {}) });
  for (const segment of path) {
    if (isAlias(node)) {
      alias ??= node;
      node = aliasTarget(source, node);
      if (node) trail.push(node);
    }
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return result(false, node, undefined);
      keyNode = pair.key as Node;
      trail.push(keyNode);
      node = (pair.value as Node | null) ?? null;
      if (node === null) return result(true, keyNode, keyNode);
      trail.push(node);
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) return result(false, node, undefined);
      keyNode = undefined;
      node = item;
      trail.push(node);
    } else {
      return result(false, node, undefined);
    }
  }
  return result(true, node, keyNode);
}

/**
 * The line:col for a problem at a path: the key of the entry (`at: 'key'`, for unknown properties and bad
 * names) or its value. An empty value points at its key, which is where the reader looks. A path through an alias
 * points at the alias (`- *base`): the problem is in the data it repeats there, not at the anchor.
 */
export function positionOf(source: YamlSource, path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Position {
  const { node, keyNode, alias } = locate(source, path);
  const emptyValue = isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
  const target = alias ?? (at === 'key' || emptyValue ? (keyNode ?? node) : node);
  const offset = target?.range?.[0];
  return offset === undefined ? { line: 1, col: 1 } : positionAt(source, offset);
}

/**
 * The line:col of character `index` of the string value at `path`, when the source spells the value out character for
 * character on one line: plain, single-quoted (where '' is one '), or double-quoted without escapes. Undefined
 * otherwise (a block scalar, a folded line, an escape), where the value's own position is the best there is.
 */
export function positionInScalar(source: YamlSource, path: readonly PathSegment[], index: number): Position | undefined {
  const { node, found, alias } = locate(source, path);
  if (!found || alias || !isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const start = node.range[0];
  const raw = source.text.slice(start, node.range[1]);
  if (/[\r\n]/.test(raw) || index < 0 || index >= node.value.length) return undefined;
  switch (node.type) {
    case 'PLAIN':
      return raw === node.value ? positionAt(source, start + index) : undefined;
    case 'QUOTE_DOUBLE':
      return raw === `"${node.value}"` && !raw.includes('\\') ? positionAt(source, start + 1 + index) : undefined;
    case 'QUOTE_SINGLE': {
      // Raw offset of each value character, '' counting as one.
      const at: number[] = [];
      for (let i = 1; i < raw.length - 1; i += raw[i] === "'" ? 2 : 1) at.push(i);
      const value = at.map((i) => raw[i]).join('');
      return value === node.value ? positionAt(source, start + at[index]!) : undefined;
    }
    default:
      return undefined;
  }
}
