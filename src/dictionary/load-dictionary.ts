import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { isScalar } from '../vendor/yaml.js';
import { compilePolicy, type Policy, type TagPolicyInput } from './policy.js';
import { DictionaryError, type DictionaryProblem } from './dictionary-error.js';
import { locate, parseYamlSource, positionInScalar, positionOf, type HiddenKeys, type YamlSource } from './yaml-source.js';
import { aliasProblems, MAX_ALIAS_NODES } from './yaml-aliases.js';
import { unsupportedTagProblems } from './yaml-tags.js';
import { isUtf16Text } from '../inventory/utf8.js';
import { UTF16_DICTIONARY_MESSAGE } from './utf16.js';
import { formatPath, type PathSegment } from './path.js';
import type { PendingProblem } from './pending-problem.js';
import { schemaProblems } from './schema-errors.js';
import { semanticChecks } from './semantic-checks.js';
import { validateAgainstSchema } from './schema-validator.js';
import { compileDictionaryRegex } from './dictionary-regex.js';
import { piiPolicyFromDictionary, piiSeverity } from './dictionary-pii.js';
import { maskProblem } from './mask-problem.js';
import type { RawDictionary, RawTag } from './raw-dictionary.js';
import { compileSuppression } from './suppression.js';
import { everyNamedRuleOff } from '../rules/rule-levels.js';
import { invalidUtf8At, notUtf8Message, utf8LineCol } from '../inventory/utf8.js';

export interface LoadedDictionary {
  readonly policy: Policy;
  /** Things that work but are probably mistakes (an unanchored pattern...); `validate` prints them. */
  readonly warnings: readonly DictionaryProblem[];
}

export interface LoadOptions {
  /** How to name the file in messages and in Policy.path; default: the path as given, `<stdin>` for `-`. */
  readonly displayPath?: string;
  /**
   * What the file name `-` reads: default the process's standard input stream (not /dev/stdin, which fails with
   * ENXIO when stdin is a socket, as under CI runners); tests pass their own chunks.
   */
  readonly stdin?: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** The file name that means standard input (`tagaudit validate - < tagaudit.yaml`), as for `scan -i -`. */
export const STDIN_DICTIONARY = '-';
/** How messages name standard input: `<stdin>:9:5: tags[0]: unknown property 'bogus'`. */
export const STDIN_DISPLAY = '<stdin>';

// A dictionary is a few KB; anything this big is the wrong file (an inventory dump), and parsing it would stall.
const MAX_DICTIONARY_BYTES = 10 * 1024 * 1024;
const CHUNK_BYTES = 64 << 10;

/** Loads, validates and compiles a dictionary file; throws DictionaryError (a UsageError, exit 2) listing every problem. */
export async function loadDictionary(file: string, options: LoadOptions = {}): Promise<Policy> {
  return (await loadDictionaryWithWarnings(file, options)).policy;
}

/** As loadDictionary, with the warnings; `-` (STDIN_DICTIONARY) reads standard input, named `<stdin>`. */
export async function loadDictionaryWithWarnings(file: string, options: LoadOptions = {}): Promise<LoadedDictionary> {
  const display = options.displayPath ?? (file === STDIN_DICTIONARY ? STDIN_DISPLAY : file);
  return parseDictionary(await readDictionaryBytes(file, display, options.stdin), display);
}

/**
 * The file's bytes, or standard input's for `-`, up to the size limit; any failure is one DictionaryError naming
 * `display`, worded alike for a file and for standard input.
 */
async function readDictionaryBytes(file: string, display: string, stdin: LoadOptions['stdin']): Promise<Uint8Array> {
  const fail = (message: string, cause?: unknown): never => {
    throw new DictionaryError([{ file: display, message }], { cause });
  };
  const tooBig = (): never => fail(`is larger than ${MAX_DICTIONARY_BYTES >> 20} MB; a dictionary is a small YAML file (is this the right file?)`);
  try {
    if (file === STDIN_DICTIONARY) return await readUpToLimit(stdin ?? (process.stdin as AsyncIterable<Uint8Array>), tooBig);
    const info = await stat(file);
    if (info.isDirectory()) fail('is a directory, not a dictionary file');
    if (info.size > MAX_DICTIONARY_BYTES) tooBig();
    if (info.isFile()) return await readFile(file);
    // A pipe or device (-d <(…), -d /dev/stdin) has no size to check first: read it up to the limit, as stdin.
    const handle = await open(file, 'r');
    try {
      return await readUpToLimit(chunksOf(handle), tooBig);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof DictionaryError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('dictionary not found', err);
    if (code === 'EACCES' || code === 'EPERM') return fail('cannot read the dictionary: permission denied', err);
    if (code === 'EISDIR') return fail('is a directory, not a dictionary file', err);
    return fail(`cannot read the dictionary (${code ?? (err instanceof Error ? err.message : String(err))})`, err);
  }
}

async function* chunksOf(handle: FileHandle): AsyncGenerator<Uint8Array> {
  for (;;) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK_BYTES), 0, CHUNK_BYTES, null);
    if (bytesRead === 0) return;
    yield buffer.subarray(0, bytesRead);
  }
}

/** Reads a source that has no size to check first, refusing it (`tooBig`) as soon as it passes the limit. */
async function readUpToLimit(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, tooBig: () => never): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > MAX_DICTIONARY_BYTES) tooBig();
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** Validates and compiles dictionary source (bytes or text) named `display` in messages. */
export async function parseDictionary(input: Uint8Array | string, display: string): Promise<LoadedDictionary> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (isUtf16Text(bytes)) throw new DictionaryError([{ file: display, line: 1, col: 1, message: UTF16_DICTIONARY_MESSAGE }]);
  if (!isUtf8(bytes)) {
    throw new DictionaryError([{ file: display, ...utf8LineCol(bytes, invalidUtf8At(bytes) ?? 0), message: notUtf8Message('dictionary') }]);
  }
  const text = new TextDecoder('utf-8').decode(bytes);

  const parsed = parseYamlSource(display, text);
  if (parsed.errors.length > 0) throw new DictionaryError(parsed.errors);
  const { source, hiddenKeys } = parsed;
  if (source.doc.contents === null) throw new DictionaryError([{ file: display, message: 'dictionary is empty' }]);

  // Problems in the YAML itself, found on its nodes; every one is reported, with the schema's when there is data.
  const tags = unsupportedTagProblems(source);
  const yamlProblems = [...hiddenKeys.problems, ...tags.problems];
  const aliases = aliasProblems(source);
  if (aliases.length > 0) throw new DictionaryError([...aliases, ...yamlProblems]);
  const data = toData(source, hiddenKeys);

  const schemaErrors = schemaProblems(await validateAgainstSchema(data), data, (path) => scalarSource(source, path));
  const semantic = semanticChecks(data);
  // What the checks say inside a tagged value or about a key YAML misread only repeats the YAML problem there.
  const repeats = (p: PendingProblem): boolean => {
    const { trail, keyNode } = locate(source, p.locate ?? p.path);
    return trail.some((node) => tags.nodes.has(node)) || (p.at === 'key' && keyNode !== undefined && hiddenKeys.keys.has(keyNode));
  };
  const checked = [...schemaErrors, ...semantic.errors].filter((p) => !repeats(p)).map((p) => position(source, p));
  const errors = [...yamlProblems, ...checked];
  if (errors.length > 0) throw new DictionaryError(dedupe(errors));

  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const policy = toPolicy(data as RawDictionary, source, display, sha256);
  const pending = [...semantic.warnings, ...offSuppressionWarnings(policy)];
  const warnings = [...parsed.warnings, ...pending.map((p) => position(source, p))].map(maskProblem);
  return { policy, warnings };
}

/**
 * The document as plain data, without the entries whose key would turn into other text there (reported already;
 * the schema would call that text an unknown property).
 */
function toData(source: YamlSource, hiddenKeys: HiddenKeys): unknown {
  const removed = hiddenKeys.dropped.map(({ map, pair }) => {
    const index = map.items.indexOf(pair);
    map.items.splice(index, 1);
    return { map, pair, index };
  });
  try {
    // The alias check has bounded what aliases repeat; the library's own limit stays as a backstop.
    return source.doc.toJS({ maxAliasCount: MAX_ALIAS_NODES });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const ours = /resource exhaustion/i.test(message) ? `too many alias expansions (more than ${MAX_ALIAS_NODES})` : `YAML error: ${message}`;
    throw new DictionaryError([{ file: source.file, message: ours }], { cause: err });
  } finally {
    for (const { map, pair, index } of removed.reverse()) map.items.splice(index, 0, pair);
  }
}

/** A suppression that can never apply, because every rule it names is off under this dictionary's own levels. */
function offSuppressionWarnings(policy: Policy): PendingProblem[] {
  const out: PendingProblem[] = [];
  policy.suppressions.forEach((s, i) => {
    if (everyNamedRuleOff(s, policy)) {
      out.push({ path: ['suppressions', i, 'rules'], message: `every rule it names is off (${[...s.rules].join(', ')}), so it never applies` });
    }
  });
  return out;
}

function scalarSource(source: YamlSource, path: readonly PathSegment[]): string | undefined {
  const { node, found } = locate(source, path);
  return found && isScalar(node) ? (node.source ?? String(node.value)) : undefined;
}

function position(source: YamlSource, problem: PendingProblem): DictionaryProblem {
  const where = problem.locate ?? problem.path;
  const inValue = problem.offset === undefined ? undefined : positionInScalar(source, where, problem.offset);
  const { line, col } = inValue ?? positionOf(source, where, problem.at);
  const path = formatPath(problem.path);
  return { file: source.file, line, col, ...(path ? { path } : {}), message: problem.message };
}

function dedupe(problems: DictionaryProblem[]): DictionaryProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function toTagInput(tag: RawTag, line: number): TagPolicyInput {
  return {
    key: tag.key,
    category: tag.category,
    purpose: tag.purpose,
    mandatory: tag.mandatory,
    costAllocation: tag.costAllocation,
    ...(tag.inherit !== undefined ? { inherit: tag.inherit } : {}),
    ...(tag.values ? { values: tag.values } : {}),
    ...(tag.pattern !== undefined ? { pattern: compileDictionaryRegex(tag.pattern) } : {}),
    ...(tag.valueAliases ? { valueAliases: tag.valueAliases } : {}),
    ...(tag.aliases ? { aliases: tag.aliases } : {}),
    ...(tag.default !== undefined ? { default: tag.default } : {}),
    ...(tag.accountDefaults ? { accountDefaults: tag.accountDefaults } : {}),
    ...(tag.sharedValues ? { sharedValues: tag.sharedValues } : {}),
    ...(tag.severity ? { severity: tag.severity } : {}),
    line,
  };
}

function toPolicy(raw: RawDictionary, source: YamlSource, display: string, sha256: string): Policy {
  return compilePolicy({
    path: display,
    sha256,
    name: raw.name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    conventions: {
      keyCase: raw.conventions?.keyCase ?? 'any',
      ...(raw.conventions?.requiredPrefix !== undefined ? { requiredPrefix: raw.conventions.requiredPrefix } : {}),
      unknownKeys: raw.conventions?.unknownKeys ?? 'off',
    },
    ruleSeverity: raw.rules ?? {},
    piiSeverity: piiSeverity(raw.pii),
    pii: piiPolicyFromDictionary(raw.pii),
    tags: raw.tags.map((tag, i) => toTagInput(tag, positionOf(source, ['tags', i]).line)),
    suppressions: (raw.suppressions ?? []).map((s, i) => compileSuppression(s, positionOf(source, ['suppressions', i]).line)),
  });
}
