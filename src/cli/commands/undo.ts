import { type Command, Option } from 'commander';
import type { RegisterCommand } from '../command-io.js';
import { fileFlag, journalDash } from '../file-flags.js';
import { DEFAULT_REQUEST_TIMEOUT_S, DEFAULT_ROLE_NAME, liveOptionsFrom } from '../live-options.js';

export const registerUndo: RegisterCommand = (program, io) => {
  program
    .command('undo')
    .description("Restore every tag a fix changed to its value from before (dry run unless --apply); keys changed since by someone else are left alone")
    .option('--journal <file>', 'the journal of the fix (or undo) to reverse (required; a file: - is refused)')
    .option('--apply', 'write the restoration to AWS (default: dry run)')
    .option('-y, --yes', 'apply without asking (required with --apply when stdin is not a terminal)')
    .option('--undo-journal <file>', "this undo's own journal (default: ./tagaudit-undo-journal-<time>-<pid>.jsonl; a file: - is refused); an unfinished undo journal of the same journal is continued")
    .option('--force', 'undo again a journal an earlier undo already undid, or, finishing an unfinished undo, plan every resource again (see below)')
    .option('--profile <name>', 'AWS profile for credentials (default: AWS_PROFILE, else the SDK chain)')
    .option('--role-name <name>', "role assumed in every account but the caller's", DEFAULT_ROLE_NAME)
    .option('--external-id <id>', 'external id for AssumeRole')
    .option('--request-timeout <n>', 'seconds an AWS call may wait for an answer (each attempt; 1–600)', String(DEFAULT_REQUEST_TIMEOUT_S))
    .addOption(new Option('-f, --format <format>', 'output on stdout').choices(['table', 'json']).default('table'))
    .option('-q, --quiet', 'print nothing on stdout and no notes on stderr (errors, and the undo journal path, still show)')
    .addHelpText(
      'after',
      `
Run the same undo again to finish an interrupted or incomplete one: only what it did not finish is retried; resources
it restored are not undone again (read from its journal; if that cannot be read, --apply needs --force).
--apply records in the journal it undoes that it was undone (an "undone" record naming this undo's journal), so that
a later fix --resume of it is refused. Once an undo of a journal has run to its end, undoing that journal again
--apply needs --force: it would put the values from before the fix back over any of the fix's values written since.
A key a rename created is kept (and reported) when the key it was renamed from cannot be restored: nothing is lost.
A rename whose new key holds another value since is left as it is: neither key is touched (and it is reported).
Removed PII comes back from the PII vault beside the journal (<journal>.pii-vault.jsonl); without it, the rest is
restored and the PII is reported as not restorable.

Exit codes:
  0  everything is restored; resources deleted since the fix count as restored (dry run: nothing to restore)
  1  keys were left alone or cannot be restored (dry run: there is something to restore)
  2  usage or input error (missing, unreadable or malformed journal or PII vault, bad flag; --apply of a journal
     already undone, or of an earlier unfinished undo whose journal cannot be read, without --force)
  3  a resource could not be read or written back (or was not found without proof it was deleted), or a runtime error
`,
    )
    .action(async (raw: Record<string, unknown>, command: Command) => {
      // Checked here, not with requiredOption: commander checks required options before unknown ones, so
      // `undo --bogus` would blame the missing --journal instead of the typo.
      const journal = fileFlag('--journal', raw.journal, journalDash('standard input'));
      if (journal === undefined) command.error("error: required option '--journal <file>' not specified", { code: 'commander.missingMandatoryOptionValue' });
      const undoJournal = fileFlag('--undo-journal', raw.undoJournal, journalDash('standard output'));
      const { scan: credentials } = liveOptionsFrom(
        { profile: raw.profile, roleName: raw.roleName, externalId: raw.externalId, requestTimeout: raw.requestTimeout },
        io.deps,
      );
      // Undo always reads the live tags, dry run included.
      await (await import('../../scan/credentials.js')).checkProfileDefined(io.deps.env, credentials.profile);
      await (await import('../../scan/known-regions.js')).checkAwsEnvironment(io.deps.env);
      const { runUndo } = await import('../../fix/undo-command.js');
      const { createClientFactory } = await import('../../scan/clients.js');
      const code = await runUndo(
        {
          journal,
          apply: Boolean(raw.apply),
          yes: Boolean(raw.yes),
          format: raw.format as 'table' | 'json',
          quiet: Boolean(raw.quiet),
          force: Boolean(raw.force),
          ...(undoJournal !== undefined ? { undoJournal } : {}),
        },
        io.deps,
        {
          clients: () =>
            createClientFactory({
              env: io.deps.env,
              roleName: credentials.roleName,
              ...(credentials.profile ? { profile: credentials.profile } : {}),
              ...(credentials.externalId ? { externalId: credentials.externalId } : {}),
              ...(credentials.requestTimeoutMs !== undefined ? { requestTimeoutMs: credentials.requestTimeoutMs } : {}),
            }),
        },
      );
      io.setExitCode(code);
    });
};
