import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../version.js';
import { UsageError } from '../errors.js';
import type { TextOut } from '../cli/deps.js';
import type { Policy } from './policy.js';
import { hasExpired, utcDay } from './suppression.js';
import { loadDictionaryWithWarnings, type LoadedDictionary } from './load-dictionary.js';
import { formatWarning } from './summary.js';
import { displayPath } from '../report/display-path.js';

/** The dictionary a project keeps next to its code; used when no --dictionary is given. */
export const PROJECT_DICTIONARY = 'tagaudit.yaml';
/** Shipped with the package; the last resort, announced on stderr. */
export const BUNDLED_DICTIONARY = 'dictionaries/anycompany.yaml';

export interface DictionaryLocation {
  /** Absolute path to read. */
  readonly file: string;
  /** How messages name it: as the user typed it, or relative to the working directory. */
  readonly display: string;
  readonly origin: 'flag' | 'project' | 'bundled';
}

export interface ResolveOptions {
  /** The --dictionary value (or validate's argument), relative to cwd unless absolute. */
  readonly flag?: string;
  readonly cwd: string;
  readonly stderr: TextOut;
  /** When given, suppressions that expired before this day (UTC) are dropped, each with a note on stderr. */
  readonly now?: Date;
}

/**
 * Which dictionary to use: the flag, else ./tagaudit.yaml, else the bundled anycompany dictionary. An empty or blank
 * flag is a UsageError: it is an unset variable (`-d "$DICT"` in CI), and falling back would audit against the
 * wrong dictionary without a word. So is `-`: `validate -` reads standard input itself (and never gets here), but for
 * scan and fix standard input may be the inventory (`-i -`), so it cannot also be the dictionary.
 */
export function locateDictionary(flag: string | undefined, cwd: string): DictionaryLocation {
  if (flag !== undefined) {
    if (flag.trim() === '') throw new UsageError('--dictionary needs a file name');
    if (flag === '-') {
      throw new UsageError("--dictionary -: standard input is not supported for the dictionary of scan and fix (validate - reads it); give a file name, or ./- for a file named '-'");
    }
    return { file: resolve(cwd, flag), display: flag, origin: 'flag' };
  }
  const project = resolve(cwd, PROJECT_DICTIONARY);
  if (existsSync(project)) return { file: project, display: PROJECT_DICTIONARY, origin: 'project' };
  const bundled = fileURLToPath(new URL(BUNDLED_DICTIONARY, PACKAGE_ROOT));
  const fromCwd = relative(cwd, bundled);
  const display = fromCwd !== '' && !fromCwd.startsWith(`..${sep}`) && !isAbsolute(fromCwd) ? fromCwd : bundled;
  return { file: bundled, display, origin: 'bundled' };
}

/** Locates and loads the dictionary, saying so on stderr when it falls back to the bundled one. */
export async function resolveDictionaryWithWarnings(options: ResolveOptions): Promise<LoadedDictionary & { location: DictionaryLocation }> {
  const location = locateDictionary(options.flag, options.cwd);
  if (location.origin === 'bundled') {
    options.stderr.write(`tagaudit: no --dictionary and no ./${PROJECT_DICTIONARY}; using bundled ${BUNDLED_DICTIONARY}\n`);
  }
  return { ...(await loadDictionaryWithWarnings(location.file, { displayPath: location.display })), location };
}

/**
 * The Policy every command that needs a dictionary uses; a bad dictionary throws DictionaryError (exit 2). Its warnings
 * (a misspelt resource type, an unanchored pattern) go to `stderr` as `validate` prints them: a scan is where a
 * mistake that silently matches nothing costs findings.
 */
export async function resolveDictionary(options: ResolveOptions): Promise<Policy> {
  const { policy, warnings } = await resolveDictionaryWithWarnings(options);
  for (const warning of warnings) options.stderr.write(`${formatWarning(warning)}\n`);
  return options.now ? withoutExpiredSuppressions(policy, options.now, options.stderr) : policy;
}

function withoutExpiredSuppressions(policy: Policy, now: Date, stderr: TextOut): Policy {
  const today = utcDay(now);
  const active = policy.suppressions.filter((s) => !hasExpired(s, today));
  if (active.length === policy.suppressions.length) return policy;
  for (const s of policy.suppressions) {
    if (!hasExpired(s, today)) continue;
    const where = s.line !== undefined ? `${displayPath(policy.path)}:${s.line}` : displayPath(policy.path);
    stderr.write(`tagaudit: ${where}: suppression of ${[...s.rules].join(', ')} expired on ${s.expires}; its findings are reported again\n`);
  }
  return Object.freeze({ ...policy, suppressions: Object.freeze(active) });
}
