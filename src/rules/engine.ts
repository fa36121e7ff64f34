import { maskDeep } from '../pii/mask-deep.js';
import type { Policy } from '../dictionary/policy.js';
import { suppressionOf } from '../dictionary/suppression.js';
import { resourceRef, type Resource, type ResourceRef } from '../inventory/resource.js';
import { TAG_LIMIT_WARNING_THRESHOLD } from './tag-limit.js';
import type { Finding, Rule, RuleMeta, RuleReport, Severity, TagEdit } from './types.js';
import { ALL_RULES } from './index.js';
import { isMapped, policyIndex, type PolicyIndex } from './policy-index.js';
import { ResourceAnalysis, type AnalyzedContext } from './resource-analysis.js';
import { finishedJobState } from './finished-jobs.js';
import { fingerprint } from './fingerprint.js';
import { withheldReason } from './edit-guard.js';
import { isNoRoomReason, MESSAGES } from './messages.js';
import type { EnabledRules, RuleId } from './rule-ids.js';
import { configuredSeverity } from './configured-severity.js';
import { newKeysOf, TagSlots } from './tag-slots.js';

export interface AuditorOptions {
  /** The rules to run (default ALL_RULES); the policy can still turn any of them off. */
  readonly rules?: readonly Rule[];
}

export interface Auditor {
  /** The enabled rules (not 'off'), in registry order, for reporters. */
  readonly rules: readonly RuleMeta[];
  /**
   * All findings for one resource. `lookup` finds other resources by ARN (parents, for inherited-tag-drift).
   * Never throws because of a rule: a rule that fails becomes an error finding about the resource.
   * What a dictionary suppression covers is left out before any fix is built (so it takes no room under the 50-tag
   * limit); `onSuppressed` hears of each (the suppression's index). A rule that failed is never suppressed.
   */
  audit(resource: Resource, lookup?: (arn: string) => Resource | undefined, onSuppressed?: (suppression: number) => void): Finding[];
}

interface EnabledRule {
  readonly rule: Rule;
  readonly id: string;
  readonly severity: Severity;
}

const NO_LOOKUP = (): undefined => undefined;
const BUILT_IN: ReadonlySet<Rule> = new Set(ALL_RULES);

export function createAuditor(policy: Policy, options?: AuditorOptions): Auditor {
  const index = policyIndex(policy);
  const enabled: EnabledRule[] = [];
  for (const rule of options?.rules ?? ALL_RULES) {
    const severity = configuredSeverity(rule.meta, policy);
    if (severity !== 'off') enabled.push({ rule, id: rule.meta.id, severity });
  }
  const ids = new Set(enabled.map((r) => r.id));
  const enabledRules: EnabledRules = { has: (id: RuleId) => ids.has(id) };
  const metas = Object.freeze(enabled.map((r) => r.rule.meta));
  // The clean-resource shortcut knows what the built-in rules look at; a rule from elsewhere always runs.
  const shortcut = enabled.every((r) => BUILT_IN.has(r.rule));
  const suppress = policy.suppressions.length > 0 ? suppressorFor(index) : undefined;

  return {
    rules: metas,
    audit(resource, lookup, onSuppressed) {
      if (shortcut && isClean(index, resource)) return [];
      const suppressed: Suppressed | undefined = suppress ? (ruleId, ref, report) => suppress(ruleId, ref, report, onSuppressed) : undefined;
      return auditOne(index, enabled, enabledRules, resource, lookup ?? NO_LOOKUP, suppressed);
    },
  };
}

/**
 * Whether no built-in rule can report anything about `resource` — most of an estate: every tag is an `aws:` tag or
 * a dictionary key under its canonical name with an acceptable value, no tag carries PII, every mandatory key is
 * there, the resource is below the tag-limit threshold and names no parent. Decided with the same memoised facts
 * the rules use, without building the per-resource analysis or calling the rules. Anything else (or an error while
 * deciding) takes the full path, which decides — and reports — exactly as before.
 */
function isClean(index: PolicyIndex, resource: Resource): boolean {
  const parents = resource.parentArns;
  if (parents !== undefined && parents.length > 0) return false;
  const tags = resource.tags;
  try {
    const keys = Object.keys(tags);
    let user = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const f = index.facts(key, tags[key]!);
      if (f.pii.length > 0) return false;
      const kind = f.cls.kind;
      if (kind === 'canonical') {
        if (f.verdict.kind !== 'ok') return false;
        user++;
      } else if (kind !== 'aws') return false;
    }
    if (user >= TAG_LIMIT_WARNING_THRESHOLD) return false;
    const mandatory = index.mandatoryFor(resource.resourceType);
    for (let i = 0; i < mandatory.length; i++) if (!Object.prototype.hasOwnProperty.call(tags, mandatory[i]!.key)) return false;
    return true;
  } catch {
    return false;
  }
}

function auditOne(
  index: PolicyIndex,
  enabled: readonly EnabledRule[],
  enabledRules: EnabledRules,
  resource: Resource,
  lookup: (arn: string) => Resource | undefined,
  suppressed?: Suppressed,
): Finding[] {
  let analysis: ResourceAnalysis;
  try {
    analysis = new ResourceAnalysis(index, resource, enabledRules);
  } catch (err) {
    return analysisFailed(enabled, resource, err);
  }
  const ctx: AnalyzedContext = { resource, policy: index.policy, lookup, display: analysis.display, analysis };
  const rules: EnabledRule[] = [];
  const reports: RuleReport[] = [];
  const ref = suppressed ? resourceRef(resource) : undefined;
  for (const r of enabled) {
    let found: readonly RuleReport[];
    let failed = false;
    try {
      found = r.rule.check(ctx);
    } catch (err) {
      found = [{ message: MESSAGES.ruleFailed(r.id, errorText(err)), severity: 'error' }];
      failed = true;
    }
    for (const report of found) {
      if (suppressed && !failed && suppressed(r.id, ref!, report)) continue;
      rules.push(r);
      reports.push(report);
    }
  }
  if (reports.length === 0) return [];
  const finisher = new Finisher(index, analysis);
  const out = new Array<Finding>(reports.length);
  // The room left under the 50-tag limit goes to renames first, then to adds, as the planner would choose between
  // them: it can only drop fixes, never bring back one withheld here. Findings keep the rules' order. The rules
  // plan renames and missing-tag's adds with the same budget in the same order (tag-plan.ts, roomOf): for those this
  // is only a guard.
  for (let i = 0; i < reports.length; i++) if (hasRename(reports[i]!)) out[i] = finisher.finish(rules[i]!, reports[i]!);
  for (let i = 0; i < reports.length; i++) out[i] ??= finisher.finish(rules[i]!, reports[i]!);
  return out;
}

/** Whether a rule's report is suppressed (and then counted). */
type Suppressed = (ruleId: string, resource: ResourceRef, report: RuleReport) => boolean;

/** The policy's suppressions as a check that also says which one took the report (`count`, when given). */
function suppressorFor(index: PolicyIndex): (ruleId: string, resource: ResourceRef, report: RuleReport, count?: (suppression: number) => void) => boolean {
  return (ruleId, resource, report, count) => {
    const tagKey = report.tag?.key;
    const named = report.data?.dictionaryKey;
    // The key's own classification (alias, miscasing…) when the rule names no dictionary key (pii-in-tag).
    const cls = typeof named === 'string' || tagKey === undefined ? undefined : index.classify(tagKey);
    const dictionaryKey = typeof named === 'string' ? named : cls && isMapped(cls) ? cls.entry.key : undefined;
    const s = suppressionOf(index.policy.suppressions, { ruleId, resource, tagKey, dictionaryKey });
    if (s < 0) return false;
    count?.(s);
    return true;
  };
}

function hasRename(report: RuleReport): boolean {
  const fix = report.fix;
  if (fix === undefined) return false;
  for (let i = 0; i < fix.length; i++) if (fix[i]!.op === 'rename') return true;
  return false;
}

/**
 * When the shared analysis itself fails (a malformed resource, a detector bug), every rule failed to evaluate: one
 * error finding per rule, never a silent pass. The error's text is not quoted, since it could hold a tag value that
 * could not be checked for PII.
 */
function analysisFailed(enabled: readonly EnabledRule[], resource: Resource, err: unknown): Finding[] {
  const reason = `could not analyse the resource's tags (${err instanceof Error ? err.name : typeof err})`;
  const ref = resourceRef(resource);
  return enabled.map((r) => ({
    ruleId: r.id,
    severity: 'error',
    message: MESSAGES.ruleFailed(r.id, reason),
    resource: ref,
    fingerprint: fingerprint(r.id, ref.arn, ''),
  }));
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] || 'unknown error';
}

/**
 * Turns a rule's report into a Finding: severity, the finished-job note, the fix guards (aws: keys, AWS tag syntax,
 * PII, the 50-tag budget), masking, fingerprint. Built only for resources that have findings.
 */
class Finisher {
  private readonly finished: string | undefined;
  private readonly ref;
  /** The user-tag slots left for the edits proposed so far. */
  private readonly slots: TagSlots;

  constructor(
    private readonly index: PolicyIndex,
    private readonly analysis: ResourceAnalysis,
  ) {
    this.finished = finishedJobState(analysis.resource);
    this.ref = resourceRef(analysis.resource);
    this.slots = new TagSlots(analysis.userTagCount);
  }

  finish(r: EnabledRule, report: RuleReport): Finding {
    const { analysis } = this;
    const dictionaryKey = report.data?.dictionaryKey;
    const entry = typeof dictionaryKey === 'string' ? this.index.policy.byKey.get(dictionaryKey) : undefined;
    let severity: Severity = r.severity;
    if (entry?.severity) severity = entry.severity;
    if (report.severity) severity = report.severity;
    let message = report.message;
    if (this.finished && entry?.costAllocation) {
      severity = 'note';
      message += MESSAGES.finishedJob(this.finished);
    }

    let fix = report.fix;
    let withheld: Finding['withheld'] = report.withheld === undefined ? undefined : withheldKind(report.withheld);
    if (fix && fix.length > 0) {
      withheld = this.fixProblem(fix);
      if (withheld) {
        fix = undefined;
        message += MESSAGES.fixWithheld(withheld.detail);
      }
    } else fix = undefined;

    const hasPii = analysis.piiTagCount > 0;
    const show = analysis.display;
    const tag = report.tag ? maskTag(report.tag, hasPii ? show : undefined) : undefined;
    if (hasPii) message = show(message);
    const finding: {
      -readonly [K in keyof Finding]: Finding[K];
    } = {
      ruleId: r.id,
      severity,
      message,
      resource: this.ref,
      fingerprint: fingerprint(r.id, this.ref.arn, tag ? (hasPii ? this.fingerprintKey(report.tag!.key, tag.key) : tag.key) : ''),
    };
    if (tag) finding.tag = tag;
    if (fix) finding.fix = hasPii ? fix.map((e) => maskEdit(e, show)) : fix;
    if (report.data) finding.data = hasPii ? (maskDeep(report.data, show) as Finding['data']) : report.data;
    if (withheld) finding.withheld = hasPii ? { reason: withheld.reason, detail: show(withheld.detail) } : withheld;
    return finding;
  }

  /**
   * The tag key a fingerprint hashes: the key as shown (masked, never the raw PII), told apart from other keys of the
   * resource that mask alike (two addresses at one domain both show as j***@e*****e.com) by its rank among them, so
   * that each finding keeps an alert of its own.
   */
  private fingerprintKey(raw: string, shown: string): string {
    if (shown === raw) return shown;
    const alike = this.analysis.keys.filter((k) => this.analysis.display(k) === shown);
    if (alike.length < 2) return shown;
    return `${shown}#${[...new Set(alike)].sort().indexOf(raw) + 1}`;
  }

  /** Why a proposed fix must not be offered, or undefined (and then its added tags are counted). */
  private fixProblem(fix: readonly TagEdit[]): Finding['withheld'] {
    const { analysis } = this;
    for (const edit of fix) {
      const problem = withheldReason(edit, analysis.piiTagCount, analysis.display);
      if (problem) return withheldKind(problem);
    }
    return this.slots.take(newKeysOf(fix)) ? undefined : { reason: 'tag-limit', detail: this.slots.reason };
  }
}

/** What kind of reason a withheld fix has. */
function withheldKind(detail: string): NonNullable<Finding['withheld']> {
  return { reason: isNoRoomReason(detail) ? 'tag-limit' : 'unsupported-edit', detail };
}

function maskTag(tag: NonNullable<RuleReport['tag']>, show: ((t: string) => string) | undefined): NonNullable<Finding['tag']> {
  if (!show) return tag.value === undefined ? { key: tag.key } : { key: tag.key, value: tag.value };
  return tag.value === undefined ? { key: show(tag.key) } : { key: show(tag.key), value: show(tag.value) };
}

function maskEdit(edit: TagEdit, show: (t: string) => string): TagEdit {
  switch (edit.op) {
    case 'add':
      return { ...edit, key: show(edit.key), value: show(edit.value) };
    case 'set':
      return { ...edit, key: show(edit.key), expected: show(edit.expected), value: show(edit.value) };
    case 'rename':
      return { ...edit, from: show(edit.from), to: show(edit.to), expected: show(edit.expected), value: show(edit.value) };
    case 'remove':
      return { ...edit, key: show(edit.key), expected: show(edit.expected) };
  }
}
