import { InvalidArgumentError, type Command } from 'commander';
import type { LiveSourceFactory } from '../../audit/scan-command.js';
import { UsageError } from '../../errors.js';
import type { RegisterCommand } from '../command-io.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { addLiveScanOptions, liveFlagsUsed, liveOptionsFrom } from '../live-options.js';
import { addScanOptions } from '../scan-flags.js';
import { refuseQuietFormat, scanOptionsFrom } from '../scan-options.js';

export const registerScan: RegisterCommand = (program, io) => {
  const cmd = program
    .command('scan')
    .description('Audit resource tags against the dictionary: offline from --inventory files, or live from AWS')
    .addHelpText(
      'after',
      `
Examples:
  tagaudit scan --inventory examples/demo-estate.jsonl
  tagaudit scan -i export.json --format json --output-sarif tagaudit.sarif --fail-on warning
  tagaudit scan --regions us-east-1,eu-west-1 --save-inventory estate.jsonl
  tagaudit scan --org --regions all --exclude-accounts 111122223333

${EXIT_CODES_HELP}
  A skipped bad inventory line makes the run incomplete (3); --strict-inventory stops at it instead (2).
  A scan that reads no resource at all (inventories, or a live scope) is incomplete too (3), unless --allow-empty.
  A member account whose --role-name cannot be assumed makes it incomplete too: deploy the role there, or
  leave the account out with --exclude-accounts (each gap says what to grant or leave out). With --org, the
  caller's own account is scanned even when the organisation's accounts cannot be listed.
`,
    );
  addScanOptions(cmd).option(
    '--threads <n|auto>',
    'worker threads that read and audit JSON Lines inventory files when every report is JSON (--format json, or -q with --output-json; no SARIF, --strict-inventory or -i -); otherwise, and in a live scan, one thread (with a note). auto: one per CPU (at most 4) for inventories of 192 MiB or more, else none; 1: none. More threads: faster with CPUs to spare, for more CPU time and memory',
    parseThreads,
    'auto',
  );
  cmd.option(
    '--allow-empty',
    'accept a scan that reads no resource at all (empty --inventory files, or a live scope with nothing in it) as complete (otherwise incomplete, exit 3: an export or credentials of the wrong account or region read nothing)',
  );
  addLiveScanOptions(cmd).action(async (raw: Record<string, unknown>, command: Command) => {
    const options = { ...scanOptionsFrom(raw), allowEmpty: Boolean(raw.allowEmpty) };
    refuseQuietFormat(options);
    let live: LiveSourceFactory | undefined;
    let saveInventory: string | undefined;
    if (options.inventories.length === 0) {
      // Validated before any work: a bad flag is exit 2 without touching AWS.
      const liveOptions = liveOptionsFrom(raw, io.deps);
      saveInventory = liveOptions.saveInventory;
      await (await import('../../scan/known-regions.js')).checkRegionsKnown(liveOptions.scan.regions);
      await (await import('../../scan/credentials.js')).checkProfileDefined(io.deps.env, liveOptions.scan.profile);
      await (await import('../../scan/known-regions.js')).checkAwsEnvironment(io.deps.env);
      live = async (errorLog) => (await import('../../scan/live-source.js')).liveSource({ live: liveOptions, deps: io.deps, errorLog, quiet: options.quiet });
    } else {
      const used = liveFlagsUsed(command);
      if (used.length) throw new UsageError(`${used.join(', ')}: live-scan flag${used.length > 1 ? 's' : ''}, not for --inventory`);
    }
    const { runScan } = await import('../../audit/scan-command.js');
    io.setExitCode(await runScan(options, io.deps, live, [{ flag: '--save-inventory', path: saveInventory }]));
  });
};

function parseThreads(value: string): number | 'auto' {
  if (value === 'auto') return value;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new InvalidArgumentError('expected auto or a whole number of threads from 1 to 64');
  return n;
}
