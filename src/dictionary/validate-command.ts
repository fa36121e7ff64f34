import type { CliDeps } from '../cli/deps.js';
import { EXIT } from '../cli/exit-codes.js';
import { UsageError } from '../errors.js';
import { detectPii } from '../pii/detect.js';
import { makeRedactor } from '../pii/redact.js';
import { displayPath } from '../report/display-path.js';
import { sanitize } from '../report/visible-text.js';
import { DictionaryError, formatProblem } from './dictionary-error.js';
import { loadDictionaryWithWarnings, STDIN_DICTIONARY, type LoadOptions } from './load-dictionary.js';
import { resolveDictionaryWithWarnings } from './resolve-dictionary.js';
import { formatSummary, formatWarning, summarizeDictionary } from './summary.js';
import { utcDay } from './suppression.js';

export interface ValidateRequest {
  /** The DICTIONARY argument. */
  readonly argument?: string;
  /** --dictionary, accepted for symmetry with the other commands. */
  readonly dictionary?: string;
  readonly format: 'text' | 'json';
  /** What `-` reads (default: the process's standard input); tests pass their own chunks. */
  readonly stdin?: LoadOptions['stdin'];
}

/**
 * `tagaudit validate`: a valid dictionary prints its summary (exit 0, warnings on stderr); a bad one prints every
 * problem as `file:line:col: path: message`, one per line (exit 2). With --format json both go to stdout as JSON.
 */
export async function runValidate(request: ValidateRequest, deps: CliDeps): Promise<number> {
  // Blank --dictionary is refused by locateDictionary; the argument gets a message naming it.
  if (request.argument?.trim() === '') throw new UsageError('the dictionary argument needs a file name');
  if (request.argument !== undefined && request.dictionary !== undefined && request.argument !== request.dictionary) {
    throw new UsageError(`validate takes one dictionary; got '${displayPath(request.argument)}' and --dictionary '${displayPath(request.dictionary)}'`);
  }
  const flag = request.argument ?? request.dictionary;
  try {
    const loaded =
      flag === STDIN_DICTIONARY
        ? await loadDictionaryWithWarnings(STDIN_DICTIONARY, request.stdin ? { stdin: request.stdin } : {})
        : await resolveDictionaryWithWarnings({ flag, cwd: deps.cwd, stderr: deps.stderr });
    const summary = summarizeDictionary(loaded.policy, loaded.warnings, utcDay(deps.now()));
    // The summary quotes the dictionary (name, keys, prefix, defaults): masked like a scan's output, under the
    // dictionary's own pii settings, so a value it allows (a team mailbox as a default) shows as written.
    const mask = (text: string): string => makeRedactor(detectPii('', text, loaded.policy.pii))(text);
    if (request.format === 'json') {
      deps.stdout.write(`${mask(JSON.stringify(summary, null, 2))}\n`);
    } else {
      // What the dictionary says reaches the terminal with its control characters made visible (as \xNN).
      deps.stdout.write(mask(formatSummary(summary)).split('\n').map(sanitize).join('\n'));
      for (const warning of loaded.warnings) deps.stderr.write(`${formatWarning(warning)}\n`);
    }
    return EXIT.OK;
  } catch (err) {
    if (!(err instanceof DictionaryError)) throw err;
    // The file name is shown as every report shows a user-given path: personal data in it masked.
    const problems = err.problems.map((p) => ({ ...p, file: displayPath(p.file) }));
    if (request.format === 'json') {
      deps.stdout.write(`${JSON.stringify({ valid: false, file: problems[0]?.file, problems }, null, 2)}\n`);
    } else {
      for (const p of problems) deps.stderr.write(`${sanitize(formatProblem(p))}\n`);
      const n = problems.length;
      deps.stderr.write(`tagaudit: ${n} problem${n === 1 ? '' : 's'} in ${problems[0]?.file ?? 'the dictionary'}\n`);
    }
    return EXIT.USAGE;
  }
}
