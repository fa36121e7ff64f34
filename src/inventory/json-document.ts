import { BadRecord, type BadLineSink } from './bad-line.js';
import { describeJsonError, lineColAt, lineLocator } from './json-error.js';
import { arrayElements, memberValueStart, topLevelValues, type Span } from './json-scan.js';
import { describeDuplicate, duplicateKeys, mayHaveDuplicateKeys, type DuplicateKey } from './duplicate-keys.js';
import { resourceFromRecord } from './resource-from-json.js';
import type { Resource } from './resource.js';

/** Reports a fatal problem at a 1-based line (and column, when known) of the document. */
export type DocumentProblem = (message: string, line: number, col?: number) => void;

/**
 * Reads the JSON the AWS CLI prints for `aws resourcegroupstaggingapi get-resources` (`{ResourceTagMappingList: […]}`),
 * several such pages concatenated, or a bare list of tag mappings / Resources.
 * A syntax error is fatal (`fatal` is called and nothing is returned); a bad element goes to `bad` and is left out.
 */
export function resourcesFromDocument(text: string, bad: BadLineSink, fatal: DocumentProblem): Resource[] {
  const resources: Resource[] = [];
  let truncated: { line: number; token: string } | undefined;
  const locate = lineLocator(text);
  for (const doc of topLevelValues(text)) {
    let value: unknown;
    const source = text.slice(doc.start, doc.end);
    try {
      value = JSON.parse(source);
    } catch (err) {
      const { message, offset } = describeJsonError(err, source);
      const at = lineColAt(text, doc.start + (offset ?? 0));
      fatal(message, at.line, offset === undefined ? undefined : at.col);
      return [];
    }
    const elements = elementsOf(value);
    // JSON.parse keeps the last of two members of one name: a resource, or a tag's value, would be lost unsaid.
    const dups = mayHaveDuplicateKeys(source, value) ? duplicateKeys(source) : [];
    const prefix = elements?.member === undefined ? 0 : 1;
    const outside = dups.find((d) => !elements || d.path.length <= prefix || d.path[0] !== (elements.member ?? d.path[0]));
    if (outside) {
      const at = locate(doc.start + outside.offset);
      bad('duplicate-key', describeDuplicate(outside), at.line, at.col);
      continue;
    }
    const inElement = new Map<number, DuplicateKey>();
    for (const d of dups) if (!inElement.has(d.path[prefix] as number)) inElement.set(d.path[prefix] as number, d);
    if (!elements) {
      const single = resourceFromRecord(value);
      if (single instanceof BadRecord)
        bad(single.code, `expected "ResourceTagMappingList", a list of resources or a resource: ${single.message}`, locate(doc.start).line);
      else resources.push(single);
      continue;
    }
    let spans: Span[] | undefined;
    for (let i = 0; i < elements.list.length; i++) {
      const dup = inElement.get(i);
      if (dup) {
        const at = locate(doc.start + dup.offset);
        bad('duplicate-key', `${elements.member ?? ''}[${i}]: ${describeDuplicate(dup, prefix + 1)}`, at.line, at.col);
        continue;
      }
      const r = resourceFromRecord(elements.list[i]);
      if (!(r instanceof BadRecord)) {
        resources.push(r);
        continue;
      }
      spans ??= elementSpans(text, doc, elements.member);
      const at = spans[i] ?? doc;
      // Named by index: elements on one line (a compact document) would otherwise get identical messages.
      bad(r.code, `${elements.member ?? ''}[${i}]: ${r.message}`, locate(at.start).line);
    }
    const token = pendingToken(value);
    truncated = token ? { line: locate(doc.start).line, token } : undefined;
  }
  if (truncated) bad('truncated-listing', `the listing is truncated: its last page has a ${truncated.token}; list without --max-items (or follow the token) and export again`, truncated.line);
  return resources;
}

function elementsOf(value: unknown): { list: readonly unknown[]; member?: string } | undefined {
  if (Array.isArray(value)) return { list: value };
  if (typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>).ResourceTagMappingList))
    return { list: (value as { ResourceTagMappingList: unknown[] }).ResourceTagMappingList, member: 'ResourceTagMappingList' };
  return undefined;
}

function elementSpans(text: string, doc: Span, member: string | undefined): Span[] {
  const arrayStart = member === undefined ? doc.start : memberValueStart(text, doc.start, member);
  return arrayStart === undefined ? [] : arrayElements(text, arrayStart);
}

/** The AWS CLI prints NextToken when --max-items cut the listing; a raw API page carries a non-empty PaginationToken. */
function pendingToken(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.NextToken === 'string' && v.NextToken) return 'NextToken';
  if (typeof v.PaginationToken === 'string' && v.PaginationToken) return 'PaginationToken';
  return undefined;
}
