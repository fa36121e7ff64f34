import { isAlias, isMap, isPair, isSeq } from '../vendor/yaml.js';
import type { Node } from '../vendor/yaml.js';
import type { DictionaryProblem } from './dictionary-error.js';
import { forEachChild, propertyOffset } from './node-properties.js';
import { positionAt, type YamlSource } from './yaml-source.js';

/**
 * How many YAML nodes aliases may repeat in all. A shared block (`<<: *base` on every entry, one list of resource
 * types) repeats a few hundred in a large dictionary; a "billion laughs" file repeats billions, and every check that
 * walks the data would walk them all.
 */
export const MAX_ALIAS_NODES = 10_000;

/**
 * Problems with aliases that stop the document from being read as data, each at its alias (`*name`): one that names
 * no anchor set before it, one inside the very node its anchor names (a loop), and the alias at which the aliases so
 * far repeat more than MAX_ALIAS_NODES nodes. Walks the document as the YAML library resolves it: in document order,
 * an alias naming the last anchor of that name before it.
 */
export function aliasProblems(source: YamlSource): DictionaryProblem[] {
  const out: DictionaryProblem[] = [];
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  const unresolved: Array<{ name: string; offset: number }> = [];
  let repeated = 0;
  let exhausted = false;
  const problem = (offset: number, message: string): void => {
    out.push({ file: source.file, ...positionAt(source, offset), message });
  };

  /** The number of nodes `node` stands for, aliases expanded (capped past the limit). */
  const walk = (node: unknown): number => {
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (target === undefined) {
        unresolved.push({ name: node.source, offset });
        return 1;
      }
      if (open.has(target)) {
        problem(offset, `alias *${node.source} is inside the node its anchor &${node.source} names, so it would repeat itself without end`);
        return 1;
      }
      const size = sizes.get(target) ?? 1;
      repeated = Math.min(repeated + size, MAX_ALIAS_NODES + 1);
      if (repeated > MAX_ALIAS_NODES && !exhausted) {
        exhausted = true;
        problem(
          offset,
          `too many alias expansions (more than ${MAX_ALIAS_NODES} YAML nodes repeated by the aliases up to this one); a dictionary repeats a few hundred at most`,
        );
      }
      return size;
    }
    if (node === null || typeof node !== 'object') return 1; // an empty key or value
    const anchored = node as { anchor?: string };
    if (typeof anchored.anchor === 'string') anchors.set(anchored.anchor, node as Node);
    let size = 1;
    if (isMap(node) || isSeq(node)) {
      open.add(node);
      for (const item of node.items) {
        if (isPair(item)) size += walk(item.key) + walk(item.value);
        else size += walk(item);
      }
      open.delete(node);
    }
    size = Math.min(size, MAX_ALIAS_NODES + 1);
    if (typeof anchored.anchor === 'string') sizes.set(node as Node, size);
    return size;
  };
  walk(source.doc.contents);

  // No anchor of that name comes before an unresolved alias: the first in the document, if any, comes after it.
  const first = unresolved.length > 0 ? firstAnchors(source) : new Map<string, number>();
  for (const { name, offset } of unresolved) {
    const later = first.get(name);
    problem(
      offset,
      later === undefined
        ? `alias *${name} names no anchor: nothing before it is marked &${name}`
        : `alias *${name} comes before its anchor &${name} (line ${positionAt(source, later).line}); an anchor must be set before its aliases`,
    );
  }
  return out;
}

/** Anchor name → offset of the first `&name` in the document. */
function firstAnchors(source: YamlSource): Map<string, number> {
  const first = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const { anchor, range } = node as { anchor?: string; range?: readonly number[] };
    const start = range?.[0];
    if (typeof anchor === 'string' && start !== undefined && !first.has(anchor)) first.set(anchor, propertyOffset(source.text, start, '&') ?? start);
    forEachChild(node, visit);
  };
  visit(source.doc.contents);
  return first;
}
