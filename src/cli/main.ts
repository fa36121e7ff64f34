import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { toolVersion } from '../version.js';
import type { CliDeps } from './deps.js';
import type { CommandIo } from './command-io.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { COMMANDS } from './commands/index.js';
import { refuseRepeatedOptions } from './repeated-options.js';
import { guardStdout } from './stdout-guard.js';

/** Runs the CLI in-process and returns the exit code. Never throws, never calls process.exit. */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  let exitCode: number = EXIT.OK;
  const stdout = guardStdout(deps.stdout);
  const io: CommandIo = {
    deps: { ...deps, stdout },
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const parseErrors: string[] = [];
  const program = new Command('tagaudit')
    .description('Audit and repair AWS resource tags against a tagging dictionary.')
    .version(toolVersion(), '-V, --version')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void stdout.write(s),
      writeErr: (s) => void deps.stderr.write(s),
      outputError: oneLineError('tagaudit', parseErrors),
    });
  for (const register of COMMANDS) register(program, io);
  refuseRepeatedOptions(program);
  for (const sub of program.commands) {
    sub.configureOutput({ outputError: oneLineError(`tagaudit ${sub.name()}`, parseErrors) });
    refuseRepeatedOptions(sub);
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    for (const line of parseErrors) deps.stderr.write(await masked(line));
    return await reportError(err, deps);
  }
  // A failed write the command did not stop at (it swallowed the error, or wrote past the guard): still exit 3.
  const stdoutFailure = stdout.failure();
  return stdoutFailure ? await reportError(stdoutFailure, deps) : exitCode;
}

/**
 * Commander's parse errors (unknown flag, bad choice, missing argument) as the one line every other usage error
 * gets: `tagaudit: unknown option '--bogus' (see 'tagaudit scan --help')`. Kept in `lines` and printed masked once
 * parsing has stopped: they quote the argument, which can be anything (`--fail-on jane.doe@example.com`).
 */
function oneLineError(commandPath: string, lines: string[]): (text: string) => void {
  return (text) => {
    const message = text.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
    lines.push(`tagaudit: ${message} (see '${commandPath} --help')\n`);
  };
}

/**
 * Masks personal data an error message may quote (a bad ARN, an AWS error echoing a tag), and makes its control
 * characters visible: it may quote a file name, a flag value, an environment variable or a plan's key, any of which
 * can hold terminal escapes. Loaded only on error.
 */
async function masked(text: string): Promise<string> {
  const [{ redactText }, { sanitize }] = await Promise.all([import('../pii/redact.js'), import('../report/visible-text.js')]);
  try {
    return redactText(text).split('\n').map(sanitize).join('\n');
  } catch {
    // Shown unmasked is worse than not shown: the message may quote the very value the detectors failed on.
    return '(message withheld: it could not be checked for personal data)';
  }
}

async function reportError(err: unknown, deps: CliDeps): Promise<number> {
  if (err instanceof CommanderError) {
    // Commander has already printed its one-line message, or the help / version text: asked for (exit 0), or the help
    // on stderr of a bare `tagaudit`, which names no command (a usage error).
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof UsageError) {
    // The location names a file: masked as every message shows a file name (report/display-path.ts).
    const { displayPath } = await import('../report/display-path.js');
    const line = err.location ? `${displayPath(err.location)}: ${err.message}` : err.message;
    deps.stderr.write(`tagaudit: ${await masked(line)}\n`);
    return EXIT.USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  deps.stderr.write(`tagaudit: error: ${await masked(message.split('\n')[0] ?? '')}\n`);
  if (deps.env.TAGAUDIT_DEBUG && err instanceof Error && err.stack) deps.stderr.write(`${await masked(err.stack)}\n`);
  return EXIT.INCOMPLETE;
}
