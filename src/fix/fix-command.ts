import { noteUnusedSuppressions } from '../audit/unused-suppressions.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliDeps } from '../cli/deps.js';
import { EXIT } from '../cli/exit-codes.js';
import { notesOut, reportOut, sarifOptions, type ScanOptions } from '../cli/scan-options.js';
import { resolveDictionary } from '../dictionary/resolve-dictionary.js';
import type { Policy } from '../dictionary/policy.js';
import { UsageError } from '../errors.js';
import { auditRun } from '../audit/audit-run.js';
import { noResourcesGap, noResourcesLine, noteInventorySarifCategory, scanPaths } from '../audit/scan-command.js';
import { refuseSameFiles } from '../cli/same-file-guard.js';
import { ErrorLog } from '../audit/error-log.js';
import { inventorySource, type ResourceSource } from '../audit/resource-source.js';
import type { Resource } from '../inventory/resource.js';
import { arnMasker } from '../pii/arn-mask.js';
import { createSinks } from '../report/sinks.js';
import { displayPath } from '../report/display-path.js';
import { SEVERITY_RANK, type Finding, type FixType } from '../rules/types.js';
import { createAuditor } from '../rules/engine.js';
import type { ClientFactory } from '../scan/clients.js';
import { toolVersion } from '../version.js';
import { applyPlan, type ApplyResult } from './apply.js';
import { awsTagBackend } from './aws-backend.js';
import type { TagBackend } from './backend.js';
import { confirm } from './confirm.js';
import { defaultJournalName } from './journal.js';
import { lockJournal } from './journal-lock.js';
import { changedParentCount, changedParentsNote } from './changed-parents.js';
import { checkOutputPath } from './output-path.js';
import { policyResourceMasker } from './mask.js';
import { summarizePlan, type FixPlan, type PlanSummary } from './plan.js';
import { readPlanFile, writePlanFile } from './plan-file.js';
import { dictionaryChangedNote } from './plan-dictionary-note.js';
import { printedPlan } from './printed-plan.js';
import { refuseNonPlan } from './file-kind.js';
import { fixJournalHint } from './journal-hint.js';
import { vaultNote } from './vault.js';
import { createPlanner, withheldSkip } from './planner.js';
import { keepingParents } from './parent-capture.js';
import { renderApply, statusCounts } from './render-apply.js';
import { renderPlan } from './render-plan.js';
import { beginJournal, loadJournal, refuseExistingJournal, resumeJournal, resumeScope, type JournalSession } from './session.js';
import { verifyApplied, type VerifiedResource } from './verify.js';

export interface FixOptions {
  readonly scan: ScanOptions;
  readonly apply: boolean;
  readonly yes: boolean;
  readonly planFile?: string;
  readonly planOut?: string;
  readonly fixTypes: ReadonlySet<FixType>;
  /** --fix-type was given (it conflicts with --plan / --resume). */
  readonly fixTypesGiven: boolean;
  readonly fixPii?: 'remove' | 'redact';
  readonly journal?: string;
  /** Journal of an interrupted apply to continue. */
  readonly resume?: string;
  /** Whether any live-scan flag was given (they conflict with --plan / --resume / --inventory). */
  readonly liveFlags: readonly string[];
  /** --save-inventory of a live scan, when given. */
  readonly saveInventory?: string;
}

export interface FixWiring {
  /** Opens the live scan (resources) sharing `clients`; absent when this build has no live scanning. */
  readonly openLive?: (errorLog: ErrorLog, clients: ClientFactory) => Promise<ResourceSource>;
  /** The client factory for live reads and writes (per-account credentials). */
  readonly clients: () => ClientFactory;
  /** Replaces AWS (tests). */
  readonly backend?: TagBackend;
}

/** Flag combinations that make no sense are refused before any work (exit 2). */
export function checkFixFlags(o: FixOptions, interactive: boolean): void {
  const scanInputs = [
    ...(o.scan.inventories.length > 0 ? ['--inventory'] : []),
    ...(o.scan.strictInventory ? ['--strict-inventory'] : []),
    ...o.liveFlags,
  ];
  const planShaping = [...(o.fixPii ? ['--fix-pii'] : []), ...(o.fixTypesGiven ? ['--fix-type'] : [])];
  const reports = [...(o.scan.outputJson ? ['--output-json'] : []), ...(o.scan.outputSarif ? ['--output-sarif'] : [])];
  if (o.planFile !== undefined && o.resume !== undefined) throw new UsageError('--plan and --resume cannot be combined (--resume applies the plan in its journal)');
  for (const [flag, given] of [
    ['--plan', o.planFile],
    ['--resume', o.resume],
  ] as const) {
    if (given === undefined) continue;
    const clash = [...scanInputs, ...planShaping, ...reports][0];
    if (clash) throw new UsageError(`${flag} cannot be combined with ${clash}: the plan is already made`);
  }
  if (o.scan.inventories.length > 0 && o.liveFlags.length > 0) {
    throw new UsageError(`--inventory cannot be combined with ${o.liveFlags[0]}: the resources come from the inventory`);
  }
  if (o.resume !== undefined && !o.apply) throw new UsageError('--resume continues writing to AWS: add --apply');
  if (o.resume !== undefined && o.journal !== undefined) throw new UsageError('--resume appends to the journal it names; --journal cannot be combined with it');
  if (o.resume !== undefined && o.planOut !== undefined) throw new UsageError('--plan-out cannot be combined with --resume');
  if (o.yes && !o.apply) throw new UsageError('--yes confirms --apply; without --apply nothing is written (dry run)');
  if (o.journal !== undefined && !o.apply) throw new UsageError('--journal records an --apply run; a dry run writes nothing');
  if (o.apply && !o.yes && !interactive) throw new UsageError('--apply needs --yes when no terminal can confirm (stdin is not a TTY)');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** " (N of them managed by CloudFormation)" for the apply question, when any is. */
function managedNote(s: PlanSummary): string {
  return s.cloudFormationManaged > 0 ? ` (${s.cloudFormationManaged} of them managed by CloudFormation)` : '';
}

/** Scans (inventory or live), audits and plans, as `scan` would, with the findings going to the planner. */
async function buildPlan(o: FixOptions, deps: CliDeps, policy: Policy, wiring: FixWiring, clients: () => ClientFactory): Promise<{ plan: FixPlan; partial: boolean; scanned: Map<string, Resource> }> {
  const notes = notesOut(o.scan, deps);
  const arnMask = arnMasker(policy.pii);
  const errorLog = new ErrorLog(1000, (e, i) => {
    if (i < 10) deps.stderr.write(`tagaudit: ${e.source}${e.accountId ? ` ${e.accountId}` : ''}${e.region ? `/${e.region}` : ''}: ${arnMask(e.message)}\n`);
  });
  let source: ResourceSource;
  if (o.scan.inventories.length > 0) {
    source = inventorySource({ paths: o.scan.inventories, onBadLine: o.scan.strictInventory ? 'fail' : 'skip', cwd: deps.cwd, errorLog });
  } else {
    if (!wiring.openLive) throw new UsageError('live scanning is not available in this build; plan from an export with --inventory FILE');
    source = await wiring.openLive(errorLog, clients());
  }
  const sinks = createSinks({
    format: 'json',
    stdout: undefined,
    color: false,
    width: 100,
    ...(o.scan.outputJson !== undefined ? { outputJson: resolve(deps.cwd, o.scan.outputJson) } : {}),
    ...(o.scan.outputSarif !== undefined ? { outputSarif: resolve(deps.cwd, o.scan.outputSarif) } : {}),
    sarif: sarifOptions(o.scan),
    pii: policy.pii,
  });
  noteInventorySarifCategory(o.scan, notes);
  const planner = createPlanner({ policy, fixTypes: o.fixTypes, ...(o.fixPii ? { fixPii: o.fixPii } : {}), maskResource: policyResourceMasker(policy) });
  // Findings of one resource arrive together; the planner wants them per resource.
  const pending = new Map<string, { resource: Resource; findings: Finding[] }>();
  const scanned = new Map<string, Resource>();
  // The parents of what copies a parent's value, for the planner's check that none holds personal data.
  const { auditor, parentOf } = keepingParents(createAuditor(policy));
  let result;
  try {
    result = await auditRun({
      source,
      policy,
      auditor,
      sink: sinks,
      now: deps.now,
      ...(o.scan.allowEmpty ? {} : { emptyGap: noResourcesGap }),
      onFinding: (f, r) => {
        // Fixable findings, those naming a parent's value (a rename may copy it), and those whose fix was withheld (listed
        // as skipped); the rest are not needed.
        if ((!f.fix || f.fix.length === 0) && typeof f.data?.parentValue !== 'string' && !withheldSkip(f)) return;
        const entry = pending.get(r.arn);
        if (entry) entry.findings.push(f);
        else pending.set(r.arn, { resource: r, findings: [f] });
      },
    });
  } finally {
    await sinks.close();
  }
  for (const { resource, findings } of pending.values()) {
    if (!findings.some((f) => (f.fix && f.fix.length > 0) || withheldSkip(f))) continue;
    planner.add(resource, findings, parentOf);
    scanned.set(resource.arn, resource);
  }
  const plan = planner.finish({ createdAt: deps.now().toISOString(), toolVersion: toolVersion() });
  const partial = result.report.run.status === 'partial';
  const empty = noResourcesLine(result.report.errors);
  if (empty) deps.stderr.write(empty);
  else if (partial) notes.write(`tagaudit: the scan is incomplete (${plural(errorLog.count, 'error')}); the plan covers only what could be read\n`);
  noteUnusedSuppressions(policy, result, notes, deps.now());
  return { plan, partial, scanned };
}

/** The dictionary the re-audit after an apply uses: --dictionary, else the plan's own, else the usual default. */
async function dictionaryForPlan(o: FixOptions, deps: CliDeps, plan: FixPlan): Promise<Policy> {
  const notes = notesOut(o.scan, deps);
  const own = plan.dictionary.path && existsSync(resolve(deps.cwd, plan.dictionary.path)) ? plan.dictionary.path : undefined;
  const policy = await resolveDictionary({ flag: o.scan.dictionary ?? own, cwd: deps.cwd, stderr: notes, now: deps.now() });
  if (plan.dictionary.sha256 && policy.sha256 !== plan.dictionary.sha256) {
    notes.write(dictionaryChangedNote({ used: policy, made: plan.dictionary, cwd: deps.cwd, planFile: o.planFile !== undefined }));
  }
  return policy;
}

/** `tagaudit fix`: plan (dry run), or apply with a journal, re-read and re-audit. Returns the exit code. */
export async function runFix(o: FixOptions, deps: CliDeps, wiring: FixWiring): Promise<number> {
  checkFixFlags(o, deps.interactive);
  const paths = scanPaths(o.scan, deps.cwd);
  refuseSameFiles(
    [...paths.inputs, { flag: '--plan', path: o.planFile }, { flag: '--resume', path: o.resume }],
    [...paths.outputs, { flag: '--plan-out', path: o.planOut }, { flag: '--journal', path: o.journal }, { flag: '--save-inventory', path: o.saveInventory }],
    deps.cwd,
  );
  if (o.planOut !== undefined) checkOutputPath(resolve(deps.cwd, o.planOut));
  if (o.journal !== undefined) checkOutputPath(resolve(deps.cwd, o.journal));
  const out = reportOut(o.scan, deps);
  const notes = notesOut(o.scan, deps);
  // An apply holds its journal's lock from the start (before any scan or AWS call): a run refused because another
  // one holds it (exit 2) has read and written nothing. A dry run writes no journal and takes no lock.
  const journalFile = o.apply ? resolve(deps.cwd, o.resume ?? o.journal ?? defaultJournalName(deps.now())) : undefined;
  // A new journal's path is checked before the lock too: a journal that exists is refused before any scan.
  if (journalFile !== undefined && o.resume === undefined) refuseExistingJournal(journalFile, 'fix');
  const lock =
    journalFile === undefined
      ? undefined
      : lockJournal(journalFile, {
          command: o.resume !== undefined ? 'tagaudit fix --resume --apply' : 'tagaudit fix --apply',
          now: deps.now(),
          stderr: deps.stderr,
          ...(o.resume !== undefined ? { existing: 'append' as const } : {}),
        });
  let factory: ClientFactory | undefined;
  const clients = (): ClientFactory => (factory ??= wiring.clients());
  try {
    let plan: FixPlan;
    let policy: Policy;
    let partial = false;
    let session: JournalSession | undefined;
    if (o.resume !== undefined && journalFile !== undefined) {
      // Refused (exit 2) before anything else when there is nothing to resume: a finished or undone run.
      const scope = resumeScope(loadJournal(journalFile), o.resume, deps.interactive);
      // A resume writes to AWS like any --apply: on a terminal without --yes it asks first (before touching the journal).
      if (!o.yes) {
        const s = summarizePlan(scope.plan);
        const ok = await confirm(deps, `Resume: apply what is left of ${plural(s.edits, 'edit')} to ${plural(s.resources, 'resource')}${managedNote(s)}? [y/N] `);
        if (!ok) {
          notes.write('tagaudit: not applied\n');
          return EXIT.OK;
        }
      }
      session = resumeJournal(journalFile, deps.now(), o.resume, deps.interactive);
      plan = session.plan;
      policy = await dictionaryForPlan(o, deps, plan);
      const f = session.finished;
      notes.write(
        f
          ? `tagaudit: resuming ${displayPath(o.resume)}: its run finished at ${f.at} with ${f.retried} of ${plural(f.resources, 'resource')} failed or unread; only ${f.retried === 1 ? 'that one is' : 'those are'} retried\n`
          : `tagaudit: resuming ${displayPath(o.resume)}: ${plural(plan.resources.length, 'resource')} in its plan\n`,
      );
    } else if (o.planFile !== undefined) {
      // What a hand-edited plan writes is checked against the dictionary (PII always; defaults when it is the plan's own).
      let loaded: Policy | undefined;
      // A journal given as the plan is named for what it is, not by a JSON error at its second line.
      refuseNonPlan(resolve(deps.cwd, o.planFile));
      plan = await readPlanFile(resolve(deps.cwd, o.planFile), async (p) => {
        loaded = await dictionaryForPlan(o, deps, p);
        return { policy: loaded, sameDictionary: loaded.sha256 === p.dictionary.sha256 };
      });
      policy = loaded!;
    } else {
      policy = await resolveDictionary({ flag: o.scan.dictionary, cwd: deps.cwd, stderr: notes, now: deps.now() });
      ({ plan, partial } = await buildPlan(o, deps, policy, wiring, clients));
    }

    if (o.planOut !== undefined) {
      await writePlanFile(resolve(deps.cwd, o.planOut), plan);
      notes.write(`tagaudit: plan saved to ${displayPath(o.planOut)}\n`);
    }
    // The plan keeps raw ARNs and digests (the plan file and the journal need them); what is printed masks the ARNs'
    // addresses and leaves the digests out.
    const arnMask = arnMasker(policy.pii);
    if (!o.apply) {
      out.write(
        o.scan.format === 'json'
          ? `${arnMask(JSON.stringify(printedPlan(plan), null, 2))}\n`
          : renderPlan(plan, { title: 'Plan (dry run; nothing written — add --apply)', arnMask }),
      );
      if (partial) return EXIT.INCOMPLETE;
      return plan.resources.length > 0 || plan.conflicts.length > 0 ? EXIT.FINDINGS : EXIT.OK;
    }

    const summary = summarizePlan(plan);
    if (session === undefined) {
      if (o.scan.format !== 'json') out.write(renderPlan(plan, { arnMask }));
      if (summary.resources === 0) {
        notes.write('tagaudit: nothing to apply\n');
        return partial ? EXIT.INCOMPLETE : plan.conflicts.length > 0 ? EXIT.FINDINGS : EXIT.OK;
      }
      if (!o.yes) {
        const ok = await confirm(deps, `Apply ${plural(summary.edits, 'edit')} to ${plural(summary.resources, 'resource')}${managedNote(summary)}? [y/N] `);
        if (!ok) {
          notes.write('tagaudit: not applied\n');
          return EXIT.OK;
        }
      }
      if (o.scan.inventories.length > 0) {
        notes.write("tagaudit: the plan comes from an inventory: each resource's live tags are checked against it before any write\n");
      }
      session = beginJournal({ path: journalFile!, kind: 'fix', plan, now: deps.now(), tool: `tagaudit ${toolVersion()}` });
    }

    // The printed plan says it per resource; a resumed run or --format json prints no plan, so the count is a note.
    if (summary.cloudFormationManaged > 0 && (o.resume !== undefined || o.scan.format === 'json')) {
      notes.write(
        `tagaudit: ${summary.cloudFormationManaged} of ${plural(summary.resources, 'resource')} in the plan ${summary.cloudFormationManaged === 1 ? 'is' : 'are'} managed by CloudFormation: ` +
          "a stack's next update may revert their edits unless its template is changed too\n",
      );
    }
    const journalPath = session.journal.path;
    // Printed before the first write: if the run is interrupted (Ctrl-C, a kill), this is how to finish or reverse it;
    // said again if the journal cannot be written mid-run (JournalWriteError).
    const hint = fixJournalHint(journalPath, deps.interactive);
    deps.stderr.write(`tagaudit: journal: ${journalPath} (if interrupted, ${hint})\n`);
    const backend = wiring.backend ?? awsTagBackend(clients());
    const maskResource = policyResourceMasker(policy);
    let result: ApplyResult;
    try {
      result = await applyPlan({
        interactive: deps.interactive,
        hint,
        plan,
        backend,
        journal: session.journal,
        vault: session.vault,
        secrets: session.secrets,
        recorded: session.recorded,
        startSeq: session.startSeq,
        now: deps.now,
        maskResource,
      });
      const counts = statusCounts(result);
      session.journal.append({ t: 'end', at: deps.now().toISOString(), counts: { ...counts } });
    } finally {
      await session.journal.close();
      await session.vault.close();
      const stored = vaultNote(session.vault);
      if (stored) deps.stderr.write(stored);
    }

    const auditor = createAuditor(policy);
    const verified = await verifyApplied({
      plan,
      outcomes: result.outcomes,
      backend,
      secrets: session.secrets,
      audit: (r, lookup) => auditor.audit(r, lookup),
      maskResource,
    });
    const failing = verified.flatMap((v) => v.findings).filter((f) => o.scan.failOn !== 'none' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[o.scan.failOn]);
    if (o.scan.format === 'json') out.write(`${arnMask(JSON.stringify(applyJson(plan, result, verified, journalPath), null, 2))}\n`);
    else out.write(renderApply(result, verified, { verb: 'Applied', journalPath, audited: true, arnMask }));
    const parents = changedParentCount(plan, result.outcomes, policy);
    if (parents > 0) notesOut(o.scan, deps).write(changedParentsNote(parents));
    return applyExitCode(result, verified, plan.conflicts.length, failing.length, partial);
  } finally {
    factory?.destroy();
    lock?.release();
  }
}

/** 3: something could not be written or read back (or the scan was partial); 1: something is still wrong; 0: clean. */
export function applyExitCode(result: ApplyResult, verified: readonly VerifiedResource[], conflicts: number, failingFindings: number, partial: boolean): number {
  const c = statusCounts(result);
  if (partial || c.failed > 0 || c.unread > 0 || verified.some((v) => v.state === 'unread')) return EXIT.INCOMPLETE;
  if (c.drifted > 0 || conflicts > 0 || failingFindings > 0 || verified.some((v) => v.state !== 'at-plan')) return EXIT.FINDINGS;
  return EXIT.OK;
}

function applyJson(plan: FixPlan, result: ApplyResult, verified: readonly VerifiedResource[], journal: string): unknown {
  return {
    kind: 'tagaudit-fix-result',
    journal,
    plan: summarizePlan(plan),
    conflicts: plan.conflicts,
    outcomes: result.outcomes,
    stats: result.stats,
    verified: verified.map((v) => ({ arn: v.arn, state: v.state, ...(v.detail ? { detail: v.detail } : {}), findings: v.findings })),
  };
}
