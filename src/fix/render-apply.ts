import { DEFAULT_ARN_MASK, type ArnMask } from '../report/arn-display.js';
import { visibleLines } from '../report/visible-text.js';
import type { ApplyResult, ResourceStatus } from './apply.js';
import type { UndoNote } from './undo.js';
import type { VerifiedResource } from './verify.js';

const STATUS_LABEL: Readonly<Record<ResourceStatus, string>> = {
  fixed: 'written',
  'already-fixed': 'already at the planned tags',
  drifted: 'drifted (not written)',
  failed: 'failed',
  unread: 'not read (not written)',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Counts per status, in a fixed order. */
export function statusCounts(result: ApplyResult): Record<ResourceStatus, number> {
  const counts: Record<ResourceStatus, number> = { fixed: 0, 'already-fixed': 0, drifted: 0, failed: 0, unread: 0 };
  for (const o of result.outcomes) counts[o.status]++;
  return counts;
}

/**
 * What an apply (or undo) did, resource problems first, then verification and remaining findings, then a summary.
 * E-mail addresses in the ARNs it quotes are masked by `arnMask` (arnMasker(policy.pii); default: default settings).
 */
export function renderApply(
  result: ApplyResult,
  verified: readonly VerifiedResource[],
  options: { verb: string; journalPath: string; notes?: readonly UndoNote[]; audited: boolean; arnMask?: ArnMask },
): string {
  const lines: string[] = [];
  const problems = result.outcomes.filter((o) => o.status === 'drifted' || o.status === 'failed' || o.status === 'unread');
  if (problems.length > 0) {
    lines.push('Not changed as planned:');
    for (const o of problems) lines.push(`  ${o.arn}  ${STATUS_LABEL[o.status]}: ${o.detail ?? ''}`.trimEnd());
    lines.push('');
  }
  if (options.notes && options.notes.length > 0) {
    lines.push('Left alone:');
    for (const n of options.notes) lines.push(`  ${n.arn}  ${n.key}: ${n.reason}`);
    lines.push('');
  }
  const notAtPlan = verified.filter((v) => v.state !== 'at-plan');
  if (notAtPlan.length > 0) {
    lines.push('After re-reading, not at the planned tags:');
    for (const v of notAtPlan) lines.push(`  ${v.arn}  ${v.detail ?? v.state}`);
    lines.push('');
  }
  const remaining = verified.flatMap((v) => v.findings.map((f) => ({ arn: v.arn, f })));
  if (remaining.length > 0) {
    lines.push(`Still reported on the resources ${options.verb === 'Undo' ? 'restored' : 'fixed'}:`);
    for (const { arn, f } of remaining) lines.push(`  ${arn}  ${f.severity} ${f.ruleId}${f.fix ? ' (fixable)' : ''}: ${f.message}`);
    lines.push('');
  }
  const c = statusCounts(result);
  const calls = Object.entries(result.stats.calls)
    .map(([api, n]) => `${api} ${n}`)
    .join(', ');
  lines.push(
    `${options.verb}: ${plural(result.outcomes.length, 'resource')}: ${c.fixed} written, ${c['already-fixed']} already at the planned tags, ` +
      `${c.drifted} drifted, ${c.failed} failed, ${c.unread} unread; ` +
      `${plural(result.stats.writeCalls, 'write call')}${calls ? ` (${calls})` : ''}${result.stats.retries ? `, ${result.stats.retries} retried` : ''}`,
  );
  const atPlan = verified.filter((v) => v.state === 'at-plan').length;
  const findings = options.audited ? `; ${plural(remaining.length, 'finding')} ${remaining.length === 1 ? 'remains' : 'remain'} on them` : '';
  lines.push(`Verified: ${atPlan} of ${plural(verified.length, 'resource')} re-read at the planned tags${findings}`);
  lines.push(`Journal: ${options.journalPath}`);
  return visibleLines(lines.map(options.arnMask ?? DEFAULT_ARN_MASK));
}
