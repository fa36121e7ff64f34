import { DEFAULT_ARN_MASK, type ArnMask } from '../report/arn-display.js';
import { visibleLines } from '../report/visible-text.js';
import { stackSetNameOf } from './cloudformation.js';
import { editKind, summarizePlan, type FixPlan, type PlanEdit, type PlannedStack, type PlanSummary } from './plan.js';

function show(key: string, value: string): string {
  return `${key}=${JSON.stringify(value)}`;
}

/** One edit as "before → after". */
export function describeEdit(e: PlanEdit): string {
  switch (e.op) {
    case 'rename':
      return `${show(e.from, e.expected)} → ${show(e.to, e.value)}`;
    case 'set':
      return `${show(e.key, e.expected)} → ${show(e.key, e.value)}`;
    case 'add':
      return `(no ${e.key}) → ${show(e.key, e.value)}`;
    case 'remove':
      return `${show(e.key, e.expected)} → (removed)`;
  }
}

/** The marker after an edit that attributes none of a finished job's past cost (explained under the resource). */
export const NO_PAST_COST = '[no past cost]';

/** An edit's line in the preview: before → after, the parent an inherited value comes from, the no-past-cost marker. */
function editLine(e: PlanEdit): string {
  if (e.op === 'remove') return describeEdit(e);
  const from = e.parentArn !== undefined ? ` (from ${e.parentArn})` : '';
  return `${describeEdit(e)}${from}${e.noPastCost === true ? ` ${NO_PAST_COST}` : ''}`;
}

/** The note under a finished job that has marked edits: two lines, within 100 columns for any state AWS reports. */
export function finishedJobNote(state: string): string[] {
  return [`  finished job (${state}): AWS never applies tags retroactively, so an edit marked`, `    ${NO_PAST_COST} attributes none of the cost the job already incurred`];
}

/** ` (a 1, b 2)`, with `more` after a semicolon inside the brackets; '' when there is nothing to say. */
function counts(map: Record<string, number>, prefix = '', more = ''): string {
  const parts = Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`);
  const inner = [...(parts.length > 0 ? [`${prefix}${parts.join(', ')}`] : []), ...(more !== '' ? [more] : [])].join('; ');
  return inner !== '' ? ` (${inner})` : '';
}

/**
 * The warning under a stack-managed resource: which stack (a stack set's instance by its set, whose template is the
 * one to change; the plan keeps the instance's stack name), then why it matters. Two lines, so that both stay within
 * 100 columns for a stack name up to 30 and a logical id up to 20 characters (longer ones are never cut).
 */
export function stackWarning(stack: PlannedStack): string[] {
  const set = stackSetNameOf(stack.stackName);
  const owner = set !== undefined ? `stack set ${set}` : `stack ${stack.stackName}`;
  const logical = stack.logicalId !== undefined ? `, logical id ${stack.logicalId}` : '';
  return [`  managed by CloudFormation ${owner}${logical}:`, '    its next update may revert these edits unless its template is changed too'];
}

/** `undo`: the plan reverses a fix, whose edit kinds it counts ("undoing rename-key 2"). */
export function summaryLine(s: PlanSummary, undo = false): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const managed = s.cloudFormationManaged > 0 ? ` (${s.cloudFormationManaged} of them managed by CloudFormation)` : '';
  const noPastCost = s.noPastCostEdits > 0 ? `${s.noPastCostEdits} of them on finished jobs ${NO_PAST_COST}` : '';
  return (
    `${plural(s.resources, 'resource')} to change${managed}, ${plural(s.edits, 'edit')}${counts(s.editsByType, undo ? 'undoing ' : '', noPastCost)}; ` +
    `${plural(s.conflicts, 'conflict')}; ${s.skipped} skipped${counts(s.skippedByReason)}`
  );
}

/**
 * The dry run: every change as before → after, grouped by resource, then conflicts, skipped fixes and a summary.
 * Everything shown comes from the plan, which holds tag PII only masked; its ARNs are raw (the applier writes to
 * them), so e-mail addresses in them are masked here by `arnMask` (arnMasker(policy.pii); default: default settings).
 */
export function renderPlan(plan: FixPlan, options: { title?: string; arnMask?: ArnMask; undo?: boolean; summary?: PlanSummary } = {}): string {
  const lines: string[] = [];
  // An undo's edits carry the kind of the fix they reverse: say so, so that a restore never reads as a new rename.
  const kind = (e: PlanEdit): string => (options.undo ? `undo ${e.type}` : editKind(e));
  // A loop, not Math.max(...all): a plan of some 100,000 edits would overflow the call stack as arguments.
  let width = 0;
  for (const r of plan.resources) for (const e of r.edits) width = Math.max(width, kind(e).length);
  for (const r of plan.resources) {
    lines.push(`${r.arn}  (${r.accountId || '-'} ${r.region} ${r.resourceType})`);
    if (r.cloudFormation) lines.push(...stackWarning(r.cloudFormation));
    if (r.finishedJob !== undefined && r.edits.some((e) => e.op !== 'remove' && e.noPastCost === true)) lines.push(...finishedJobNote(r.finishedJob));
    for (const e of r.edits) lines.push(`  ${kind(e).padEnd(width)}  ${editLine(e)}`);
    lines.push('');
  }
  if (plan.conflicts.length > 0) {
    lines.push('Conflicts (nothing changed on these keys):');
    for (const c of plan.conflicts) {
      lines.push(`  ${c.arn}  ${c.key}: ${c.reason}`);
      for (const p of c.proposals) lines.push(`      ${p.source}: ${p.value === null ? '(remove)' : JSON.stringify(p.value)}`);
    }
    lines.push('');
  }
  if (plan.skipped.length > 0) {
    lines.push('Skipped:');
    for (const s of plan.skipped) lines.push(`  ${s.arn}  ${s.ruleId}${typeof s.key === 'string' ? ` ${JSON.stringify(s.key)}` : ''}: ${s.detail}`);
    lines.push('');
  }
  const title = options.title ?? 'Plan';
  // An undo passes its own counts: a rename undone takes two edits but undoes one (see undo.ts, countUndone).
  lines.push(`${title}: ${summaryLine(options.summary ?? summarizePlan(plan), options.undo)}`);
  return visibleLines(lines.map(options.arnMask ?? DEFAULT_ARN_MASK));
}
