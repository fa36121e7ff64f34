import type { Policy } from '../dictionary/policy.js';
import type { Resource } from '../inventory/resource.js';
import { displayPath } from '../report/display-path.js';
import type { ReportSink } from '../report/sink.js';
import type { Report, ScanError, ScanScope } from '../report/types.js';
import type { Finding } from '../rules/types.js';
import { toolVersion } from '../version.js';
import { runAudit, type AuditOutcome, type AuditorLike } from './pipeline.js';
import type { ResourceSource } from './resource-source.js';

export interface AuditRunOptions {
  readonly source: ResourceSource;
  readonly policy: Policy;
  readonly auditor: AuditorLike;
  /** Receives every finding, then finish(report) once the run is over. */
  readonly sink: ReportSink;
  readonly now: () => Date;
  readonly onFinding?: (finding: Finding, resource: Resource) => void;
  /** How the resources are audited into the sink (default: runAudit over `source.resources`). */
  readonly audit?: AuditStep;
  /**
   * The gap recorded when the run read no resource at all and met no other gap, which makes it partial: an export of
   * the wrong account or region is empty, and a "complete" report of nothing would close every open alert.
   */
  readonly emptyGap?: (scope: ScanScope) => ScanError;
}

/** Audits a run's resources into `sink` (without finishing it). */
export type AuditStep = (sink: ReportSink) => Promise<AuditOutcome>;

export interface AuditRunResult extends AuditOutcome {
  /** What the sink was finished with (`findings` is empty: they were streamed). */
  readonly report: Report;
}

/**
 * One whole run: streams the source through the auditor into the sink, then finishes the sink with the report
 * (summary, errors, rule metadata). A run with any error is 'partial'. The file names it holds are shown as every
 * report shows a user-given path (displayPath): the table, JSON and SARIF are all rendered from it.
 */
export async function auditRun(options: AuditRunOptions): Promise<AuditRunResult> {
  const { source, policy, auditor, sink, now } = options;
  const startedAt = now().toISOString();
  const outcome = options.audit
    ? await options.audit(sink)
    : await runAudit({ resources: source.resources, auditor, sinks: [sink], onFinding: options.onFinding });
  const summary = outcome.summary.result();
  const read = source.errors();
  const scope = source.scope();
  const errors = options.emptyGap && read.length === 0 && summary.resources === 0 ? [options.emptyGap(scope)] : read;
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'tagaudit', version: toolVersion() },
    run: {
      status: errors.length > 0 ? 'partial' : 'complete',
      startedAt,
      finishedAt: now().toISOString(),
      dictionary: { path: displayPath(policy.path), sha256: policy.sha256 },
      scope: shownScope(scope),
    },
    summary,
    findings: [],
    errors,
    rules: auditor.rules,
  };
  await sink.finish(report);
  return { ...outcome, report };
}

function shownScope(scope: ScanScope): ScanScope {
  return scope.inventories ? { ...scope, inventories: scope.inventories.map((p) => displayPath(p)) } : scope;
}
