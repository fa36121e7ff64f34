import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RegisterCommand } from '../command-io.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { addLiveScanOptions, liveFlagsUsed, liveOptionsFrom } from '../live-options.js';
import { addScanOptions } from '../scan-flags.js';
import { fileFlag, journalDash } from '../file-flags.js';
import { noteIdleFlags } from '../idle-flags.js';
import { collecting } from '../repeated-options.js';
import { notesOut, refuseQuietPlan, scanOptionsFrom } from '../scan-options.js';
import { NON_PII_FIX_TYPES } from '../../fix/plan.js';
import type { FixType } from '../../rules/types.js';

const parseFixTypes = collecting((value: string, previous: FixType[] | undefined): FixType[] => {
  const out = [...(previous ?? [])];
  for (const raw of value.split(',')) {
    const t = raw.trim();
    if (t === '') continue;
    if (t === 'pii-remove' || t === 'pii-redact') throw new InvalidArgumentError('PII edits are chosen with --fix-pii remove|redact');
    if (!(NON_PII_FIX_TYPES as readonly string[]).includes(t)) throw new InvalidArgumentError(`expected a comma-separated list of: ${NON_PII_FIX_TYPES.join(', ')}`);
    if (!out.includes(t as FixType)) out.push(t as FixType);
  }
  if (out.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of: ${NON_PII_FIX_TYPES.join(', ')}`);
  return out;
});

/** Live flags that only choose credentials (or how long a call may wait): they apply to writes in every mode. */
const CREDENTIAL_FLAGS: readonly string[] = ['--profile', '--role-name', '--external-id', '--request-timeout'];

export const registerFix: RegisterCommand = (program, io) => {
  const cmd = program
    .command('fix')
    .description('Plan tag corrections from an audit (dry run), or apply them with a journal that undo can reverse')
    .addHelpText(
      'after',
      `
Examples:
  tagaudit fix --inventory export.json                         # dry run: every change as before → after
  tagaudit fix --inventory export.json --plan-out plan.json    # save the plan for review
  tagaudit fix --plan plan.json --apply --yes                  # apply a reviewed plan (journal printed)
  tagaudit fix --resume tagaudit-journal-20240601T120000.123Z-4242.jsonl --apply --yes
  tagaudit undo --journal tagaudit-journal-20240601T120000.123Z-4242.jsonl --apply --yes

--format json prints the plan (dry run) or the apply result; --output-json / --output-sarif save the audit the
plan was made from. See docs/fixing.md for the journal, the PII vault, resume and undo. --resume of a journal
whose run finished with nothing left to write, or that was undone, is refused (exit 2): plan again with fix.
--apply and --resume lock the journal (<journal>.lock) before any AWS call: a second run on it stops (exit 2).

${EXIT_CODES_HELP}
  Dry run: 1 when the plan has changes or conflicts. --apply: 1 when something is still wrong afterwards
  (drift, conflicts, findings at or above --fail-on on the fixed resources), 3 when a write or re-read failed.
`,
    );
  addLiveScanOptions(addScanOptions(cmd, true))
    .option('--allow-empty', 'accept a scan that reads no resource at all as complete (otherwise incomplete, exit 3, as in scan)')
    .option('--apply', 'write the plan to AWS (default: dry run)')
    .option('-y, --yes', 'apply without asking (required with --apply when stdin is not a terminal)')
    .option('--plan <file>', 'apply or show a saved plan instead of scanning (a file: - is not stdin)')
    .option('--plan-out <file>', "save the plan (with each resource's expected current tags) as JSON (a file: - is not stdout; --format json prints the plan there, for review)")
    .option('--fix-type <types>', `only plan these kinds of edit (comma-separated: ${NON_PII_FIX_TYPES.join(', ')})`, parseFixTypes)
    .addOption(new Option('--fix-pii <action>', 'also remove or redact tags holding personal data (opt-in)').choices(['remove', 'redact']))
    .option('--journal <file>', 'journal of the apply (default: ./tagaudit-journal-<time>.jsonl; a file: - is refused)')
    .option('--resume <journal>', 'finish an interrupted apply from its journal, or retry what its finished run failed to write (with --apply; a file: - is refused)')
    .action(async (raw: Record<string, unknown>, command: Command) => {
      const scan = { ...scanOptionsFrom(raw, true), allowEmpty: Boolean(raw.allowEmpty) };
      const planFile = fileFlag('--plan', raw.plan, { stream: 'standard input' });
      const planOut = fileFlag('--plan-out', raw.planOut, { stream: 'standard output', hint: '--format json prints the plan there, for review' });
      const journal = fileFlag('--journal', raw.journal, journalDash('standard output'));
      const resume = fileFlag('--resume', raw.resume, journalDash('standard input'));
      refuseQuietPlan(scan, planOut, Boolean(raw.apply));
      // Validated before any work; --profile / --role-name / --external-id also give the credentials for writes.
      const live = liveOptionsFrom(raw, io.deps);
      await (await import('../../scan/known-regions.js')).checkRegionsKnown(live.scan.regions);
      const talksToAws = Boolean(raw.apply) || (scan.inventories.length === 0 && planFile === undefined);
      if (talksToAws) {
        await (await import('../../scan/credentials.js')).checkProfileDefined(io.deps.env, live.scan.profile);
        await (await import('../../scan/known-regions.js')).checkAwsEnvironment(io.deps.env);
      }
      const liveFlags = liveFlagsUsed(command).filter((f) => !CREDENTIAL_FLAGS.includes(f));
      const { runFix } = await import('../../fix/fix-command.js');
      const { createClientFactory } = await import('../../scan/clients.js');
      const fixTypes = (raw.fixType as FixType[] | undefined) ?? NON_PII_FIX_TYPES;
      const code = await runFix(
        {
          scan,
          apply: Boolean(raw.apply),
          yes: Boolean(raw.yes),
          fixTypes: new Set(fixTypes),
          fixTypesGiven: raw.fixType !== undefined,
          liveFlags,
          ...(planFile !== undefined ? { planFile } : {}),
          ...(planOut !== undefined ? { planOut } : {}),
          ...(raw.fixPii !== undefined ? { fixPii: raw.fixPii as 'remove' | 'redact' } : {}),
          ...(journal !== undefined ? { journal } : {}),
          ...(resume !== undefined ? { resume } : {}),
          ...(live.saveInventory !== undefined ? { saveInventory: live.saveInventory } : {}),
        },
        io.deps,
        {
          clients: () =>
            createClientFactory({
              env: io.deps.env,
              roleName: live.scan.roleName,
              ...(live.scan.profile ? { profile: live.scan.profile } : {}),
              ...(live.scan.externalId ? { externalId: live.scan.externalId } : {}),
              ...(live.scan.requestTimeoutMs !== undefined ? { requestTimeoutMs: live.scan.requestTimeoutMs } : {}),
            }),
          openLive: async (errorLog, clients) =>
            (await import('../../scan/live-source.js')).liveSource({ live: { ...live, scan: { ...live.scan, clients } }, deps: io.deps, errorLog, quiet: scan.quiet }),
        },
      );
      // After the run, which refuses bad input first: a refused run prints only its error.
      noteIdleFlags(scan, notesOut(scan, io.deps), true);
      io.setExitCode(code);
    });
};
