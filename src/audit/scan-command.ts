import { resolve } from 'node:path';
import type { CliDeps, TextOut } from '../cli/deps.js';
import { notesOut, reportOut, sarifOptions, type ScanOptions } from '../cli/scan-options.js';
import { locateDictionary, resolveDictionary } from '../dictionary/resolve-dictionary.js';
import { noteIdleFlags } from '../cli/idle-flags.js';
import { refuseSameFiles, type NamedPath } from '../cli/same-file-guard.js';
import { reportStdout } from '../cli/stdout-guard.js';
import { UsageError } from '../errors.js';
import { assertInventoryReadable } from '../inventory/read-inventory.js';
import { arnMasker, type ArnMask } from '../pii/arn-mask.js';
import { displayPath } from '../report/display-path.js';
import { SarifLimitError } from '../report/sarif.js';
import { OutputWriteError } from '../report/writers.js';
import { scopeText } from '../report/table.js';
import { createSinks, terminalOptions } from '../report/sinks.js';
import type { ScanError, ScanScope } from '../report/types.js';
import { createAuditor } from '../rules/engine.js';
import type { Policy } from '../dictionary/policy.js';
import type { AuditorLike } from './audit-flow.js';
import { auditRun, type AuditRunResult, type AuditStep } from './audit-run.js';
import { runParallelAudit } from './parallel/parallel-audit.js';
import { planParallelAudit, type ParallelPlan } from './parallel/parallel-plan.js';
import { workerPool } from './parallel/range-pool.js';
import { DEFAULT_MAX_DEFERRED } from './pipeline.js';
import { ErrorLog } from './error-log.js';
import { exitCodeFor } from './exit-code.js';
import { inventorySource, type ResourceSource } from './resource-source.js';
import { noteUnusedSuppressions } from './unused-suppressions.js';

/** Errors echoed to stderr as they happen; the rest are only counted there (the report lists up to 1000). */
const ECHOED_ERRORS = 10;

/** Opens the live scan when no --inventory is given (wired by the scan command, which owns the live flags). */
export type LiveSourceFactory = (errorLog: ErrorLog) => Promise<ResourceSource>;

/** `tagaudit scan`: dictionary → resources → rules → reports; returns the exit code. */
export async function runScan(options: ScanOptions, deps: CliDeps, live?: LiveSourceFactory, liveOutputs: readonly NamedPath[] = []): Promise<number> {
  const paths = scanPaths(options, deps.cwd);
  refuseSameFiles(paths.inputs, [...paths.outputs, ...liveOutputs], deps.cwd);
  const notes = notesOut(options, deps);
  const policy = await resolveDictionary({ flag: options.dictionary, cwd: deps.cwd, stderr: notes, now: deps.now() });
  const arnMask = arnMasker(policy.pii);
  const errorLog = new ErrorLog(1000, (e, i) => echoError(e, i, deps, arnMask));
  const source = await openSource(options, deps, errorLog, live);

  const out = reportOut(options, deps);
  const terminal = terminalOptions(out, deps.env, options.colorFlag);
  const sinks = createSinks({
    format: options.format,
    stdout: options.quiet ? undefined : reportStdout(out),
    color: terminal.color,
    width: options.width ?? terminal.width,
    outputJson: options.outputJson === undefined ? undefined : resolvePath(deps, options.outputJson),
    outputSarif: options.outputSarif === undefined ? undefined : resolvePath(deps, options.outputSarif),
    sarif: sarifOptions(options),
    pii: policy.pii,
  });
  noteInventorySarifCategory(options, notes);
  noteIdleFlags(options, notes);
  const parallel =
    options.inventories.length > 0
      ? planParallelAudit({ inventories: options.inventories, cwd: deps.cwd, threads: options.threads, strict: options.strictInventory, sinks: sinks.sinks })
      : undefined;
  if (!parallel && typeof options.threads === 'number' && options.threads > 1 && options.inventories.length > 0)
    notes.write('tagaudit: --threads applies to JSON Lines files (not pipes) reported only as JSON (no table, SARIF or --strict-inventory); this scan runs on one thread\n');
  const emptyGap = options.allowEmpty ? undefined : (scope: ScanScope) => noResourcesGap(scope);
  let result: AuditRunResult;
  try {
    const auditor = createAuditor(policy);
    const run = { source, policy, auditor, sink: sinks, now: deps.now, ...(emptyGap ? { emptyGap } : {}) };
    result = await auditRun(parallel ? { ...run, audit: parallelAudit(parallel, policy, auditor, errorLog) } : run);
  } catch (err) {
    // A SARIF over GitHub's limits, or an output file that could not be written (both exit 2), fails the run after the
    // other reports were written: they are still partial.
    if ((err instanceof SarifLimitError || err instanceof OutputWriteError) && errorLog.count > 0) noteIncomplete(errorLog, deps);
    throw err;
  } finally {
    await sinks.close();
  }

  if (result.duplicates > 0) notes.write(`tagaudit: ${plural(result.duplicates, 'resource')} listed more than once; each was audited once\n`);
  const { status } = result.report.run;
  // Not a note: shown under -q too, since the run fails (exit 3) on it alone.
  const empty = noResourcesLine(result.report.errors);
  if (empty) deps.stderr.write(empty);
  else if (status === 'partial') noteIncomplete(errorLog, deps);
  else if (result.report.summary.resources === 0) notes.write(noResourcesNote(result.report.run.scope));
  noteUnusedSuppressions(policy, result, notes, deps.now());
  return exitCodeFor(status, (s) => result.summary.atOrAbove(s), options.failOn);
}

async function openSource(options: ScanOptions, deps: CliDeps, errorLog: ErrorLog, live: LiveSourceFactory | undefined): Promise<ResourceSource> {
  if (options.inventories.length > 0) {
    for (const path of options.inventories) await assertInventoryReadable(path, deps.cwd);
    return inventorySource({ paths: options.inventories, onBadLine: options.strictInventory ? 'fail' : 'skip', cwd: deps.cwd, errorLog });
  }
  if (!live) throw new UsageError('live scanning is not available in this build; audit an export with --inventory FILE');
  return live(errorLog);
}

/** An inventory scan written as SARIF without --sarif-category shares its category with every other one (scan and fix). */
export function noteInventorySarifCategory(options: ScanOptions, notes: TextOut): void {
  if (options.inventories.length > 0 && options.sarifCategory === undefined && (options.outputSarif !== undefined || options.format === 'sarif'))
    notes.write('tagaudit: every inventory scan gets SARIF category "inventory"; give each job its own with --sarif-category, or one upload closes the alerts of another\n');
}

/** The files a scan reads and writes, as refuseSameFiles compares them. */
export function scanPaths(options: ScanOptions, cwd: string): { inputs: NamedPath[]; outputs: NamedPath[] } {
  const dictionary = locateDictionary(options.dictionary, cwd);
  return {
    inputs: [
      ...options.inventories.map((path) => ({ flag: '--inventory', path })),
      { flag: dictionary.origin === 'flag' ? '--dictionary' : 'dictionary', path: dictionary.file },
    ],
    outputs: [
      { flag: '--output-json', path: options.outputJson },
      { flag: '--output-sarif', path: options.outputSarif },
    ],
  };
}

/** The run's resources audited by worker threads (see runParallelAudit) instead of read from `source`. */
function parallelAudit(plan: ParallelPlan, policy: Policy, auditor: AuditorLike, errorLog: ErrorLog): AuditStep {
  return async (sink) => {
    const pool = workerPool(plan.threads, policy);
    try {
      return await runParallelAudit({ files: plan.files, pool, auditor, sink, onError: errorLog.add, maxDeferred: DEFAULT_MAX_DEFERRED });
    } finally {
      await pool.close();
    }
  };
}

/** errors[].code of the gap an inventory scan that read no resource records (see noResourcesGap). */
export const NO_RESOURCES = 'no-resources';

/**
 * A scan that read no resource at all is incomplete (exit 3), unless --allow-empty: an export of the wrong account or
 * region is empty, so is a live scan with the wrong credentials or --regions, and the shipped nightly workflow uploads
 * the SARIF of a complete run, which would close every open alert of the category. One empty file among others is a
 * region with nothing in it, and fine.
 */
export function noResourcesGap(scope: ScanScope): ScanError {
  if (scope.mode === 'inventory') {
    const files = scope.inventories ?? [];
    const from = files.length === 1 ? displayPath(files[0]!) : plural(files.length, 'inventory file');
    return {
      source: 'inventory',
      code: NO_RESOURCES,
      message: `no resources were read from ${from} — nothing was audited; an export of the wrong account or region looks like this (--allow-empty accepts an empty estate)`,
    };
  }
  return {
    source: 'scan',
    code: NO_RESOURCES,
    message: `no resources were found in ${scopeText(scope)} — nothing was audited; credentials of the wrong account, or the wrong --regions or --sources, look like this (--allow-empty accepts an empty estate)`,
  };
}

/** The stderr line of a run whose only gap is that it read no resource (shown under -q too: it alone fails the run). */
export function noResourcesLine(errors: readonly ScanError[]): string | undefined {
  const only = errors.length === 1 ? errors[0] : undefined;
  return only?.code === NO_RESOURCES ? `tagaudit: incomplete: ${only.message}\n` : undefined;
}

/**
 * A complete scan of nothing (a live one, or an inventory one under --allow-empty) passes (exit 0, "No findings in 0
 * resources"), so stderr says that nothing was audited: credentials of the wrong account or an empty `--regions` list
 * would keep a nightly job green for ever. (A partial one already exits 3 and says why.)
 */
export function noResourcesNote(scope: ScanScope): string {
  if (scope.mode === 'inventory') {
    const files = scope.inventories ?? [];
    const from = files.length === 1 ? files[0]! : plural(files.length, 'inventory file');
    return `tagaudit: note: no resources were read from ${from} — nothing was audited; an export of the wrong region or account looks like this\n`;
  }
  return `tagaudit: note: no resources were found in ${scopeText(scope)} — nothing was audited; check the credentials' account, --regions and --sources\n`;
}

function noteIncomplete(errorLog: ErrorLog, deps: CliDeps): void {
  deps.stderr.write(`tagaudit: incomplete: ${plural(errorLog.count, 'error')} (listed in the report's "errors"); the report covers only what could be read\n`);
}

/** A scan gap on stderr; its message may quote an ARN, whose e-mail address is masked as in the reports. */
function echoError(e: ScanError, index: number, deps: CliDeps, arnMask: ArnMask): void {
  if (index < ECHOED_ERRORS && e.source === 'inventory') {
    deps.stderr.write(`tagaudit: ${arnMask(e.message)} (skipped)\n`);
  } else if (index < ECHOED_ERRORS) {
    const where = [e.accountId, e.region].filter(Boolean).join('/');
    deps.stderr.write(`tagaudit: ${e.source}${where ? ` ${where}` : ''}: ${arnMask(e.message)}\n`);
  } else if (index === ECHOED_ERRORS) {
    deps.stderr.write('tagaudit: more errors follow; not shown here\n');
  }
}

function resolvePath(deps: CliDeps, path: string): string {
  return resolve(deps.cwd, path);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
