import type { Node } from '../vendor/yaml.js';
import type { DictionaryProblem } from './dictionary-error.js';
import { forEachChild, propertyOffset } from './node-properties.js';
import { positionAt, type YamlSource } from './yaml-source.js';

// The YAML 1.1 types the library resolves when a value is tagged with them explicitly (its `resolveKnownTags`, on
// by default, and the whole of a `%YAML 1.1` document). None is text, a number, a boolean, a list or a mapping, which
// is all a dictionary holds: the checks would describe a Node Buffer, Set or Map by its internals.
const UNSUPPORTED: ReadonlyMap<string, { readonly what: string; readonly instead: string }> = new Map([
  ['tag:yaml.org,2002:binary', { what: 'binary data', instead: 'write the value as text' }],
  ['tag:yaml.org,2002:set', { what: 'a set', instead: 'write a list' }],
  ['tag:yaml.org,2002:omap', { what: 'an ordered mapping', instead: 'write a plain mapping' }],
  ['tag:yaml.org,2002:pairs', { what: 'a list of pairs', instead: 'write a plain mapping' }],
  ['tag:yaml.org,2002:timestamp', { what: 'a date', instead: 'write the day in quotes ("YYYY-MM-DD")' }],
]);

export interface TagProblems {
  readonly problems: DictionaryProblem[];
  /** The nodes so tagged: what the other checks would say about their values is beside the point. */
  readonly nodes: ReadonlySet<Node>;
}

/** Every node (keys too) carrying one of the YAML 1.1 type tags a dictionary cannot hold, reported at the tag. */
export function unsupportedTagProblems(source: YamlSource): TagProblems {
  const problems: DictionaryProblem[] = [];
  const nodes = new Set<Node>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const { tag, range } = node as { tag?: string; range?: readonly number[] };
    const unsupported = tag === undefined ? undefined : UNSUPPORTED.get(tag);
    if (unsupported) {
      nodes.add(node as Node);
      const start = range?.[0] ?? 0;
      const name = `!!${tag!.slice(tag!.lastIndexOf(':') + 1)}`;
      const message = `YAML tag ${name} is not supported in a dictionary (${unsupported.what}); ${unsupported.instead}, without the tag`;
      problems.push({ file: source.file, ...positionAt(source, propertyOffset(source.text, start, '!') ?? start), message });
      return;
    }
    forEachChild(node, visit);
  };
  visit(source.doc.contents);
  return { problems, nodes };
}
