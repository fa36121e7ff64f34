import type { CliDeps } from '../cli/deps.js';
import { EXIT } from '../cli/exit-codes.js';
import { UsageError } from '../errors.js';
import { detectPii } from '../pii/detect.js';
import { makeRedactor } from '../pii/redact.js';
import { DictionaryError } from './dictionary-error.js';
import { parseDictionary, type LoadedDictionary } from './load-dictionary.js';
import { resolveDictionaryWithWarnings } from './resolve-dictionary.js';
import { formatSummary, formatWarning, summarizeDictionary } from './summary.js';
import { utcDay } from './suppression.js';

export interface ValidateRequest {
  /** The DICTIONARY argument. */
  readonly argument?: string;
  /** --dictionary, accepted for symmetry with the other commands. */
  readonly dictionary?: string;
  readonly format: 'text' | 'json';
  /** Reads standard input for the file name `-` (default: the process's stdin); tests pass their own. */
  readonly readStdin?: () => Promise<Uint8Array>;
}

/** The file name that means standard input (`tagaudit validate - < tagaudit.yaml`), as for `scan -i -`. */
export const STDIN_DICTIONARY = '-';
/** How messages name standard input: `<stdin>:9:5: tags[0]: unknown property 'bogus'`. */
export const STDIN_DISPLAY = '<stdin>';
// The loader's own limit for a dictionary file: anything bigger is the wrong input.
const MAX_STDIN_BYTES = 10 * 1024 * 1024;

/**
 * Standard input read from the process's stream (not by opening /dev/stdin, which fails with ENXIO when stdin is a
 * socket, as under CI runners), up to the size limit.
 */
async function readProcessStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
    // Stop reading past the limit; the caller refuses the input.
    if (total > MAX_STDIN_BYTES) break;
  }
  return Buffer.concat(chunks);
}

async function loadFromStdin(read: () => Promise<Uint8Array>): Promise<LoadedDictionary> {
  let bytes: Uint8Array;
  try {
    bytes = await read();
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new DictionaryError([{ file: STDIN_DISPLAY, message: `cannot read the dictionary from standard input (${why})` }], { cause: err });
  }
  if (bytes.length > MAX_STDIN_BYTES) {
    throw new DictionaryError([{ file: STDIN_DISPLAY, message: `is larger than ${MAX_STDIN_BYTES >> 20} MB; a dictionary is a small YAML file (is this the right input?)` }]);
  }
  return parseDictionary(bytes, STDIN_DISPLAY);
}

/**
 * `tagaudit validate`: a valid dictionary prints its summary (exit 0, warnings on stderr); a bad one prints every
 * problem as `file:line:col: path: message`, one per line (exit 2). With --format json both go to stdout as JSON.
 */
export async function runValidate(request: ValidateRequest, deps: CliDeps): Promise<number> {
  // Blank --dictionary is refused by locateDictionary; the argument gets a message naming it.
  if (request.argument?.trim() === '') throw new UsageError('the dictionary argument needs a file name');
  if (request.argument !== undefined && request.dictionary !== undefined && request.argument !== request.dictionary) {
    throw new UsageError(`validate takes one dictionary; got '${request.argument}' and --dictionary '${request.dictionary}'`);
  }
  const flag = request.argument ?? request.dictionary;
  try {
    const loaded =
      flag === STDIN_DICTIONARY
        ? await loadFromStdin(request.readStdin ?? readProcessStdin)
        : await resolveDictionaryWithWarnings({ flag, cwd: deps.cwd, stderr: deps.stderr });
    const summary = summarizeDictionary(loaded.policy, loaded.warnings, utcDay(deps.now()));
    // The summary quotes the dictionary (name, keys, prefix, defaults): masked like a scan's output, under the
    // dictionary's own pii settings, so a value it allows (a team mailbox as a default) shows as written.
    const mask = (text: string): string => makeRedactor(detectPii('', text, loaded.policy.pii))(text);
    if (request.format === 'json') {
      deps.stdout.write(`${mask(JSON.stringify(summary, null, 2))}\n`);
    } else {
      deps.stdout.write(mask(formatSummary(summary)));
      for (const warning of loaded.warnings) deps.stderr.write(`${formatWarning(warning)}\n`);
    }
    return EXIT.OK;
  } catch (err) {
    if (!(err instanceof DictionaryError)) throw err;
    if (request.format === 'json') {
      deps.stdout.write(`${JSON.stringify({ valid: false, file: err.problems[0]?.file, problems: err.problems }, null, 2)}\n`);
    } else {
      for (const line of err.lines()) deps.stderr.write(`${line}\n`);
      const n = err.problems.length;
      deps.stderr.write(`tagaudit: ${n} problem${n === 1 ? '' : 's'} in ${err.problems[0]?.file ?? 'the dictionary'}\n`);
    }
    return EXIT.USAGE;
  }
}
