import { defaultValueFor, foldKey, type Policy, type TagPolicy } from '../dictionary/policy.js';
import { isAwsReservedKey, MAX_USER_TAGS, type Resource } from '../inventory/resource.js';
import type { Finding, FixType, TagDigest, TagEdit, ValueFixType } from '../rules/types.js';
import { RULE } from '../rules/rule-ids.js';
import { parentKey } from '../audit/parent-key.js';
import { cloudFormationStackOf, isCloudFormationStack } from './cloudformation.js';
import { serviceOf, tagsNotReadable } from './unreadable-tags.js';
import { digestId, findByDigest, tagDigest } from './digest.js';
import {
  FIX_PLAN_VERSION,
  type FixPlan,
  type PlanConflict,
  type PlanEdit,
  type PlannedResource,
  type PlannedStack,
  type PlanSkip,
  type RecordedTag,
  type SkipReason,
} from './plan.js';
import type { ResourceMask, ResourceMasker } from './mask.js';
import { keyProblem, toWritableText, valueProblem } from './tag-text.js';
import { finishedJobState, overwritesWithParentValue } from '../rules/finished-jobs.js';

export interface PlannerOptions {
  readonly policy: Policy;
  /** Non-PII edit kinds to plan (`--fix-type`). */
  readonly fixTypes: ReadonlySet<FixType>;
  /** PII edits are planned only with this opt-in (`--fix-pii`). */
  readonly fixPii?: 'remove' | 'redact';
  /** How a resource's text may be shown: one redactor over all of its tags' PII (see policyResourceMasker). */
  readonly maskResource: ResourceMasker;
}

export interface ResourcePlan {
  readonly planned?: PlannedResource;
  readonly conflicts: readonly PlanConflict[];
  readonly skipped: readonly PlanSkip[];
}

/** A finding's edits, validated, with what each raw key ends up holding (null: removed). */
interface Candidate {
  readonly ruleIds: string[];
  readonly edits: PlanEdit[];
  readonly outcome: Map<string, string | null>;
  /** Keys this candidate creates (not on the resource yet): what the 50-tag limit counts. */
  readonly newKeys: Set<string>;
  /** Lower is dropped last when the tag limit bites. */
  readonly keep: number;
}

class Skip extends Error {
  constructor(
    readonly reason: SkipReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

class RenameOntoDifferentValue extends Error {
  constructor(
    readonly key: string,
    readonly current: string,
    readonly proposed: string,
  ) {
    super('rename onto a key that holds a different value');
  }
}

const PII_TYPES: ReadonlySet<FixType> = new Set<FixType>(['pii-remove', 'pii-redact']);
const OP_ORDER: Readonly<Record<PlanEdit['op'], number>> = { rename: 0, set: 1, add: 2, remove: 3 };

function editKey(e: PlanEdit): string {
  return e.op === 'rename' ? e.to : e.key;
}

/** Every text of an edit that is shown or written. */
function editTexts(e: PlanEdit): string[] {
  switch (e.op) {
    case 'add':
      return [e.key, e.value];
    case 'set':
      return [e.key, e.expected, e.value];
    case 'rename':
      return [e.from, e.to, e.expected, e.value];
    case 'remove':
      return [e.key, e.expected];
  }
}

/** A PII edit's labels (the key and value it addresses by digest) as the resource's mask shows them. */
function maskLabels(e: PlanEdit, display: (text: string) => string): PlanEdit {
  if (e.op === 'set' && e.digest) return { ...e, key: display(e.key), expected: display(e.expected) };
  if (e.op === 'remove') return { ...e, key: display(e.key), expected: display(e.expected) };
  return e;
}

function canonicalValues(tp: TagPolicy | undefined): Set<string> {
  const out = new Set<string>();
  if (!tp) return out;
  for (const v of tp.values ?? []) out.add(v);
  for (const v of Object.values(tp.valueAliases)) out.add(v);
  if (tp.default !== undefined) out.add(tp.default);
  for (const v of Object.values(tp.accountDefaults)) out.add(v);
  return out;
}

/**
 * Whether `to` is `from` re-spelt by whitespace or case alone into a value a pattern-only key accepts (`APP-1234` →
 * `app-1234` for ^app-[0-9]{4}$): what miscased-tag-value proposes for keys without a list of values.
 */
function patternRespelling(tp: TagPolicy | undefined, from: string, to: string): boolean {
  if (!tp?.pattern || tp.values) return false;
  const trimmed = from.trim();
  if (to !== trimmed && to !== trimmed.toLowerCase() && to !== trimmed.toUpperCase()) return false;
  tp.pattern.lastIndex = 0;
  return tp.pattern.test(to);
}

/** The dictionary entry a key means: itself, a deprecated alias, or (unambiguously) a miscasing of either. */
function entryFor(policy: Policy, key: string): TagPolicy | undefined {
  const exact = policy.byKey.get(key) ?? policy.byAlias.get(key);
  if (exact) return exact;
  const folded = policy.byFoldedKey.get(foldKey(key));
  return folded && folded.length === 1 ? folded[0] : undefined;
}

/**
 * Why the dictionary does not give what a non-PII edit writes, or undefined when it does: an add-default must write
 * the key's default for the account, a normalize-value a canonical value of the key, a rename-key onto a key of the
 * dictionary. (A rename's value and an inherited value come from the resource or its parent: not checked here.)
 */
export function dictionaryProblem(policy: Policy, accountId: string, edit: PlanEdit): string | undefined {
  if (edit.type === 'add-default' && edit.op === 'add') {
    const tp = entryFor(policy, edit.key);
    const wanted = tp ? defaultValueFor(tp, accountId) : undefined;
    if (wanted !== edit.value) return `the dictionary gives no default ${JSON.stringify(edit.value)} for ${edit.key}`;
  } else if (edit.type === 'normalize-value' && (edit.op === 'set' || edit.op === 'add')) {
    const tp = entryFor(policy, edit.key);
    const respelt = edit.op === 'set' && patternRespelling(tp, edit.expected, edit.value);
    if (!respelt && !canonicalValues(tp).has(edit.value)) return `${JSON.stringify(edit.value)} is not a canonical value of ${edit.key} in the dictionary`;
  } else if (edit.op === 'rename' && !policy.byKey.has(edit.to)) {
    return `${edit.to} is not a key of the dictionary`;
  }
  return undefined;
}

/** The finding that reports the value change a rename carries (it has no fix of its own), by the change's type. */
const VALUE_RULES: Readonly<Record<ValueFixType, readonly string[]>> = {
  'normalize-value': [RULE.miscasedTagValue],
  inherit: [RULE.inheritedTagDrift, RULE.emptyTagValue],
  'add-default': [RULE.emptyTagValue],
};

function valueFindingOf(findings: readonly Finding[], rename: RenameEdit): Finding | undefined {
  const rules = rename.valueType ? VALUE_RULES[rename.valueType] : [];
  return findings.find(
    (f) => rules.includes(f.ruleId) && f.tag?.key === rename.from && f.data?.dictionaryKey === rename.to && (f.fix ?? []).length === 0,
  );
}

type RenameEdit = Extract<TagEdit, { op: 'rename' }>;

/** A fix as the planner takes it: the finding to credit and its edits, plus a part of it left out (`--fix-type`, or a finished job's value). */
interface Requested {
  readonly finding: Finding;
  readonly leftOut?: { readonly ruleId: string; readonly reason: SkipReason; readonly detail: string };
}

/**
 * A value change that writes a parent's value over a finished job's own value of a cost-allocation key (see
 * overwritesWithParentValue): not planned. (The scan lowers the findings on those keys of a finished job to notes.)
 */
function overwritesFinishedJob(edit: TagEdit, finished: string | undefined, policy: Policy): boolean {
  if (finished === undefined || !overwritesWithParentValue(edit)) return false;
  return entryFor(policy, edit.op === 'rename' ? edit.to : edit.key)?.costAllocation === true;
}

function finishedJobDetail(finished: string, key: string, expected: string, value: string): string {
  return (
    `the job has finished (${finished}): its parent's ${JSON.stringify(value)} written over its ${key} ${JSON.stringify(expected)} would attribute ` +
    'none of its past cost, and its tags would no longer match the cost and usage lines it produced'
  );
}

/**
 * Applies `--fix-type` to a finding's non-PII fix. A rename that also changes the value (`valueType`) is two changes,
 * each applied only when its type is requested: without the value's type the key is renamed keeping its old value
 * (refused when that value is empty: the fixer never writes one); without rename-key the value is set under the old
 * key, credited to the finding that reports the value. The part left out is reported as skipped, under the finding
 * that reports it. Any other filtered edit skips the whole fix (all or nothing).
 *
 * On a finished job (`finished`: its state), a parent's value is never written over the job's own (see
 * overwritesFinishedJob): a rename carrying one keeps the old value, and an `inherit` set is skipped.
 */
function requestedPart(finding: Finding, findings: readonly Finding[], opts: PlannerOptions, finished: string | undefined): Requested {
  const fix = finding.fix ?? [];
  const rename = fix.length === 1 && fix[0]!.op === 'rename' ? fix[0] : undefined;
  if (rename?.valueType === undefined || rename.value === rename.expected) {
    const filtered = fix.find((e) => !opts.fixTypes.has(e.type));
    if (filtered) {
      const kept = opts.fixTypes.has('inherit') ? keptParentValue(rename, findings, finished, opts.policy) : undefined;
      const either = kept === undefined ? '' : `, and its value is not set in place either: ${finishedJobDetail(finished!, rename!.from, rename!.expected, kept)}`;
      throw new Skip('fix-type-filtered', `${filtered.type} edits were not requested (--fix-type)${either}`);
    }
    const overwrite = fix.find((e) => overwritesFinishedJob(e, finished, opts.policy));
    if (overwrite?.op === 'set') {
      throw new Skip('finished-job', `${finishedJobDetail(finished!, overwrite.key, overwrite.expected, overwrite.value)}; change it by hand if it is wrong`);
    }
    return keptOnFinishedJob({ finding }, rename, findings, finished, opts.policy);
  }
  const { from, to, expected, value, valueType } = rename;
  const wantKey = opts.fixTypes.has(rename.type);
  const typeWanted = opts.fixTypes.has(valueType);
  const wantValue = typeWanted && !overwritesFinishedJob(rename, finished, opts.policy);
  if (wantKey && wantValue) return keptOnFinishedJob({ finding }, rename, findings, finished, opts.policy);
  if (!wantKey && !wantValue) {
    throw new Skip(
      'fix-type-filtered',
      typeWanted
        ? `${rename.type} edits were not requested (--fix-type), and its value is not set in place either: ${finishedJobDetail(finished!, from, expected, value)}`
        : `${rename.type} and ${valueType} edits were not requested (--fix-type)`,
    );
  }
  const valueFinding = valueFindingOf(findings, rename);
  if (wantKey) {
    if (expected.trim() === '') {
      throw new Skip(
        'fix-type-filtered',
        `${valueType} edits were not requested (--fix-type), and without the value ${JSON.stringify(value)} the rename would write an empty one`,
      );
    }
    const { valueType: _, ...keyOnly } = rename;
    const leftOut = typeWanted
      ? { reason: 'finished-job' as const, detail: `${from} is renamed to ${to} keeping its value: ${finishedJobDetail(finished!, from, expected, value)}` }
      : {
          reason: 'fix-type-filtered' as const,
          detail: `${valueType} edits were not requested (--fix-type): ${from} is renamed to ${to} keeping its value ${JSON.stringify(expected)}, not ${JSON.stringify(value)}`,
        };
    return { finding: { ...finding, fix: [{ ...keyOnly, value: expected }] }, leftOut: { ruleId: valueFinding?.ruleId ?? finding.ruleId, ...leftOut } };
  }
  return {
    finding: { ...finding, ruleId: valueFinding?.ruleId ?? finding.ruleId, fix: [{ op: 'set', type: valueType, key: from, expected, value }] },
    leftOut: {
      ruleId: finding.ruleId,
      reason: 'fix-type-filtered',
      detail: `${rename.type} edits were not requested (--fix-type): ${from} is not renamed to ${to}; its value is set to ${JSON.stringify(value)} in place`,
    },
  };
}

/**
 * A rename on a finished job that keeps the job's own value of a cost-allocation key where its parent's differs: the
 * rules propose no parent value there (rules/tag-plan.ts), so inherited-tag-drift reports the difference without a
 * fix. It is listed as skipped (`finished-job`), as the parent's value in any other fix is.
 */
function keptOnFinishedJob(requested: Requested, rename: RenameEdit | undefined, findings: readonly Finding[], finished: string | undefined, policy: Policy): Requested {
  const parentValue = keptParentValue(rename, findings, finished, policy);
  if (parentValue === undefined || !rename || finished === undefined) return requested;
  const { from, to, expected, value } = rename;
  const keeping = value === expected ? 'keeping its value' : `with its own value ${JSON.stringify(value)}`;
  const detail = `${from} is renamed to ${to} ${keeping}: ${finishedJobDetail(finished, from, expected, parentValue)}`;
  return { ...requested, leftOut: { ruleId: RULE.inheritedTagDrift, reason: 'finished-job', detail } };
}

/** The parent's value a rename on a finished job's cost-allocation key does not carry (see keptOnFinishedJob), if any. */
function keptParentValue(rename: RenameEdit | undefined, findings: readonly Finding[], finished: string | undefined, policy: Policy): string | undefined {
  if (!rename || finished === undefined || entryFor(policy, rename.to)?.costAllocation !== true) return undefined;
  const drift = findings.find((f) => f.ruleId === RULE.inheritedTagDrift && !f.fix?.length && f.tag?.key === rename.from);
  const parentValue = drift?.data?.parentValue;
  return typeof parentValue === 'string' && parentValue !== rename.value ? parentValue : undefined;
}

/** Turns a finding's proposed edits into plan edits, honouring the PII opt-in (non-PII fixes: see requestedPart). */
function toPlanEdits(finding: Finding, opts: PlannerOptions): PlanEdit[] {
  const fix = finding.fix ?? [];
  const isPii = fix.some((e) => PII_TYPES.has(e.type));
  if (!isPii) {
    // A rename keeps the kind of value change it carries, so that the plan shows it (`rename-key+inherit`).
    return fix.map((e) => {
      if (e.op !== 'rename' || (e.valueType !== undefined && e.value !== e.expected)) return { ...e };
      const { valueType: _, ...edit } = e;
      return edit;
    });
  }
  if (!opts.fixPii) throw new Skip('pii-not-opted-in', 'PII is only removed or redacted with --fix-pii remove|redact');
  const target = fix.find((e): e is Extract<TagEdit, { op: 'remove' }> => e.op === 'remove' && e.digest !== undefined);
  const given = fix.find((e): e is Extract<TagEdit, { op: 'set' }> => e.op === 'set' && e.type === 'pii-redact' && e.digest !== undefined);
  if (opts.fixPii === 'remove') {
    if (!target) throw new Skip('unsupported-edit', 'the finding proposes no removal of the PII tag');
    return [{ op: 'remove', type: 'pii-remove', key: target.key, expected: target.expected, digest: target.digest! }];
  }
  if (finding.data?.where === 'key' || finding.data?.redactKeyTo !== undefined) {
    throw new Skip('unsupported-edit', 'PII in a tag key cannot be redacted in place; use --fix-pii remove');
  }
  if (given) return [{ ...given }];
  const redactTo = finding.data?.redactTo;
  if (!target || typeof redactTo !== 'string') throw new Skip('unsupported-edit', 'the finding proposes no redacted value');
  // Masks use '*', which AWS does not accept in tags: it becomes '_'.
  return [{ op: 'set', type: 'pii-redact', key: target.key, expected: target.expected, value: toWritableText(redactTo), digest: target.digest! }];
}

function checkKey(service: string, key: string): void {
  if (isAwsReservedKey(key)) throw new Skip('aws-reserved', "tags starting with 'aws:' are never changed");
  const problem = keyProblem(service, key);
  if (problem) throw new Skip('invalid-tag-text', `key ${key}: ${problem}`);
}

function checkValue(service: string, key: string, value: string): void {
  const problem = valueProblem(service, value);
  if (problem) throw new Skip('invalid-tag-text', `value for ${key}: ${problem}`);
}

function resolveDigest(tags: Readonly<Record<string, string>>, digest: TagDigest | undefined, label: string): string {
  const key = digest ? findByDigest(tags, digest) : undefined;
  if (key === undefined) throw new Skip('stale-finding', `PII tag ${label} is not on the resource as the finding saw it`);
  if (isAwsReservedKey(key)) throw new Skip('aws-reserved', "tags starting with 'aws:' are never changed");
  return key;
}

/** Validates one finding's edits against the resource and the dictionary; throws Skip or RenameOntoDifferentValue. */
function toCandidate(
  resource: Resource,
  finding: Finding,
  opts: PlannerOptions,
  keep: number,
  inherited: ReadonlyMap<string, ReadonlySet<string>>,
  mask: ResourceMask,
  parentPii: (e: PlanEdit) => boolean,
): Candidate {
  const tags = resource.tags;
  const service = resource.service;
  const edits = toPlanEdits(finding, opts);
  // A non-PII edit is shown and written as it stands: it must not hold PII found anywhere on the resource (the scan
  // withholds such a fix; this guards findings from elsewhere).
  for (const e of edits) {
    if (!PII_TYPES.has(e.type) && editTexts(e).some((t) => mask.carriesPii(t))) {
      throw new Skip('unsupported-edit', 'the edit holds personal data found on this resource, so it is neither shown nor written');
    }
    if (parentPii(e)) throw new Skip('unsupported-edit', PARENT_PII_DETAIL);
  }
  // An empty or blank value is what empty-tag-value reports: the fixer never writes one (a rename would move it).
  if (edits.some((e) => e.op !== 'remove' && e.value.trim() === '')) {
    throw new Skip('unsupported-edit', 'it would write an empty value, which empty-tag-value reports: set a value by hand');
  }
  const outcome = new Map<string, string | null>();
  const newKeys = new Set<string>();
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(tags, k);
  const fromDictionary = (e: PlanEdit): void => {
    const problem = dictionaryProblem(opts.policy, resource.accountId, e);
    if (problem) throw new Skip('not-from-dictionary', problem);
  };
  for (const e of edits) {
    if (outcome.has(editKey(e)) || (e.op === 'rename' && outcome.has(e.from))) {
      throw new Skip('unsupported-edit', 'the finding proposes two edits of one key');
    }
    switch (e.op) {
      case 'add': {
        checkKey(service, e.key);
        checkValue(service, e.key, e.value);
        if (has(e.key)) throw new Skip('stale-finding', `${e.key} is already on the resource`);
        fromDictionary(e);
        outcome.set(e.key, e.value);
        newKeys.add(e.key);
        break;
      }
      case 'set': {
        // The key exists already (so the service accepts it); only its value is new.
        const key = e.digest ? resolveDigest(tags, e.digest, e.key) : e.key;
        if (isAwsReservedKey(key)) throw new Skip('aws-reserved', "tags starting with 'aws:' are never changed");
        checkValue(service, e.key, e.value);
        if (!e.digest && tags[key] !== e.expected) throw new Skip('stale-finding', `${key} no longer holds the value the finding saw`);
        if (!PII_TYPES.has(e.type)) fromDictionary({ ...e, key });
        else if (mask.carriesPii(e.value) || opts.maskResource([[key, e.value]]).carriesPii(e.value)) throw new Skip('unsupported-edit', 'the redacted text would still be PII; use --fix-pii remove');
        outcome.set(key, e.value);
        break;
      }
      case 'rename': {
        if (isAwsReservedKey(e.from)) throw new Skip('aws-reserved', "tags starting with 'aws:' are never changed");
        // Written then removed, the one key would be gone.
        if (e.from === e.to) throw new Skip('unsupported-edit', 'a rename onto its own key');
        checkKey(service, e.to);
        checkValue(service, e.to, e.value);
        if (tags[e.from] !== e.expected) throw new Skip('stale-finding', `${e.from} no longer holds the value the finding saw`);
        fromDictionary(e);
        const target = opts.policy.byKey.get(e.to);
        if (
          e.value !== e.expected &&
          !canonicalValues(target).has(e.value) &&
          !patternRespelling(target, e.expected, e.value) &&
          !inherited.get(e.to)?.has(e.value)
        ) {
          throw new Skip(
            'not-from-dictionary',
            `${JSON.stringify(e.value)} is neither the old value, a canonical value of ${e.to}, its old value re-spelt to match its pattern, nor its parent's value`,
          );
        }
        const current = tags[e.to];
        if (current !== undefined && current !== e.value) throw new RenameOntoDifferentValue(e.to, current, e.value);
        outcome.set(e.to, e.value);
        outcome.set(e.from, null);
        if (current === undefined) newKeys.add(e.to);
        break;
      }
      case 'remove': {
        // Only PII is ever removed: any other removal would drop a value the fixer has not copied anywhere.
        if (!PII_TYPES.has(e.type)) throw new Skip('unsupported-edit', 'only PII tags are removed');
        const key = resolveDigest(tags, e.digest, e.key);
        outcome.set(key, null);
        break;
      }
    }
  }
  return { ruleIds: [finding.ruleId], edits, outcome, newKeys, keep };
}

function sameOutcome(a: Candidate, b: Candidate): boolean {
  if (a.outcome.size !== b.outcome.size) return false;
  for (const [k, v] of a.outcome) if (!b.outcome.has(k) || b.outcome.get(k) !== v) return false;
  return true;
}

/** How hard a finding's fix is kept when the 50-tag limit forces a choice: adds go first, renames last. */
function keepRank(finding: Finding): number {
  const fix = finding.fix ?? [];
  if (fix.some((e) => e.op === 'rename')) return 0;
  if (fix.some((e) => e.op === 'add')) return 2;
  return 1;
}

const STACK_SKIP_DETAIL = "a stack's own tags change through a stack update, which retags its resources and may update them: use CloudFormation";

/** The stack that manages a resource, as the plan shows it (masked like every displayed value). */
function plannedStack(tags: Readonly<Record<string, string>>, show: (text: string) => string): PlannedStack | undefined {
  const stack = cloudFormationStackOf(tags);
  if (!stack) return undefined;
  return { stackName: show(stack.stackName), ...(stack.logicalId !== undefined ? { logicalId: show(stack.logicalId) } : {}) };
}

/** Finds a resource's parent by an ARN the resource names (in any case, for SageMaker), as the audit found it. */
export type ParentLookup = (arn: string) => Resource | undefined;

const PARENT_PII_DETAIL = "it would copy its parent's value, which holds personal data: it is never copied (pii-in-tag reports it on the parent)";

/** Whether an edit writes a value copied from a parent (`inherit`, or a rename carrying one). */
function copiesParentValue(e: PlanEdit): e is Extract<PlanEdit, { op: 'add' | 'set' | 'rename' }> {
  if (e.op === 'rename') return e.valueType === 'inherit' && e.value !== e.expected;
  return (e.op === 'add' || e.op === 'set') && e.type === 'inherit';
}

/**
 * Whether an edit copies a parent's value that holds personal data: detected in the value itself, or — for the
 * parents `parentOf` finds — masked by the parent's own redactor (another of its tags holds it in another layout,
 * "4155552671" beside "+1 415-555-2671"), as the scan judges the parent. The scan proposes no such edit; this
 * guards findings from elsewhere, so that the fixer never spreads personal data.
 */
function parentPiiCheck(resource: Resource, opts: PlannerOptions, parentOf: ParentLookup | undefined): (e: PlanEdit) => boolean {
  let parentMasks: ResourceMask[] | undefined;
  const masks = (): ResourceMask[] => {
    if (parentMasks) return parentMasks;
    parentMasks = [];
    for (const arn of resource.parentArns ?? []) {
      const parent = parentOf?.(arn);
      if (parent && parent !== resource) parentMasks.push(opts.maskResource(Object.entries(parent.tags)));
    }
    return parentMasks;
  };
  return (e) => {
    if (!copiesParentValue(e)) return false;
    if (opts.maskResource([[editKey(e), e.value]]).carriesPii(e.value)) return true;
    return masks().some((m) => m.carriesPii(e.value));
  };
}

/**
 * Plans one resource from its findings: merged edits, conflicts and skips. `parentOf` finds the resource's parents,
 * so that no parent's value holding personal data is copied (see parentPiiCheck).
 */
export function planResource(resource: Resource, findings: readonly Finding[], opts: PlannerOptions, parentOf?: ParentLookup): ResourcePlan {
  const skipped: PlanSkip[] = [];
  const conflicts: PlanConflict[] = [];
  // One redactor for everything shown of this resource, built from the PII of all its tags (as the scan report).
  const resourceMask = opts.maskResource(Object.entries(resource.tags));
  const parentPii = parentPiiCheck(resource, opts, parentOf);
  const show = resourceMask.display;
  const mask = (value: string | null): string | null => (value === null ? null : show(value));

  // Resources the fixer never writes: every fix is reported as skipped, with why.
  const unwritable: [SkipReason, string] | undefined = isCloudFormationStack(resource)
    ? ['cloudformation-stack', STACK_SKIP_DETAIL]
    : tagsNotReadable(resource.resourceType)
      ? ['tags-not-readable', `GetResources does not return the tags of ${serviceOf(resource.resourceType)} resources, so the fixer cannot check them before writing: change them with ${serviceOf(resource.resourceType)}'s own API or console`]
      : undefined;
  if (unwritable) {
    const [reason, detail] = unwritable;
    for (const f of findings) {
      if (!f.fix || f.fix.length === 0) continue;
      skipped.push({ arn: resource.arn, ruleId: f.ruleId, ...(f.tag ? { key: show(f.tag.key) } : {}), reason, detail });
    }
    return { conflicts, skipped };
  }

  // Values the resource's parents carry, per dictionary key (inherited-tag-drift reports them): a rename may copy one.
  const inherited = new Map<string, Set<string>>();
  for (const f of findings) {
    const key = f.data?.dictionaryKey;
    const value = f.data?.parentValue;
    if (typeof key === 'string' && typeof value === 'string') inherited.set(key, (inherited.get(key) ?? new Set()).add(value));
  }
  const finished = finishedJobState(resource);

  let candidates: Candidate[] = [];
  for (const f of findings) {
    if (!f.fix || f.fix.length === 0) {
      const why = withheldSkip(f);
      if (why) skipped.push({ arn: resource.arn, ruleId: f.ruleId, ...(f.tag ? { key: show(f.tag.key) } : {}), reason: why.reason, detail: show(why.detail) });
      continue;
    }
    try {
      const isPii = f.fix.some((e) => PII_TYPES.has(e.type));
      const { finding, leftOut } = isPii ? { finding: f } : requestedPart(f, findings, opts, finished);
      candidates.push(toCandidate(resource, finding, opts, keepRank(finding), inherited, resourceMask, parentPii));
      if (leftOut) {
        skipped.push({ arn: resource.arn, ruleId: leftOut.ruleId, ...(f.tag ? { key: show(f.tag.key) } : {}), reason: leftOut.reason, detail: show(leftOut.detail) });
      }
    } catch (err) {
      if (err instanceof Skip) {
        skipped.push({ arn: resource.arn, ruleId: f.ruleId, ...(f.tag ? { key: show(f.tag.key) } : {}), reason: err.reason, detail: show(err.detail) });
      }
      else if (err instanceof RenameOntoDifferentValue) {
        conflicts.push({
          arn: resource.arn,
          key: show(err.key),
          reason: 'rename onto a key that already holds a different value',
          proposals: [
            { source: 'current value', value: mask(err.current) },
            { source: f.ruleId, value: mask(err.proposed) },
          ],
        });
      } else throw err;
    }
  }

  // The same fix proposed by two rules is one fix.
  const unique: Candidate[] = [];
  for (const c of candidates) {
    const twin = unique.find((u) => sameOutcome(u, c));
    if (twin) twin.ruleIds.push(...c.ruleIds);
    else unique.push(c);
  }
  candidates = unique;

  // A value normalisation of a key that a rename moves away is done by the rename when both agree on the value.
  candidates = candidates.filter((c) => {
    if (c.edits.length !== 1 || c.edits[0]!.op !== 'set' || (c.edits[0] as { digest?: unknown }).digest) return true;
    const set = c.edits[0] as Extract<PlanEdit, { op: 'set' }>;
    const rename = candidates.find((o) => o !== c && o.edits.some((e) => e.op === 'rename' && e.from === set.key && e.value === set.value));
    if (!rename) return true;
    rename.ruleIds.push(...c.ruleIds);
    return false;
  });

  // Two fixes that want different things for one key: neither is applied.
  const byKey = new Map<string, Candidate[]>();
  for (const c of candidates) for (const k of c.outcome.keys()) byKey.set(k, [...(byKey.get(k) ?? []), c]);
  const dropped = new Set<Candidate>();
  for (const [key, list] of byKey) {
    const values = new Set(list.map((c) => c.outcome.get(key)));
    if (values.size < 2) continue;
    conflicts.push({
      arn: resource.arn,
      key: show(key),
      reason: 'fixes disagree on this key',
      proposals: list.map((c) => ({ source: c.ruleIds.join(','), value: mask(c.outcome.get(key) ?? null) })),
    });
    for (const c of list) dropped.add(c);
  }
  candidates = candidates.filter((c) => !dropped.has(c));

  // Never more than 50 user tags, counting the moment a rename holds both keys. Counted by the distinct keys the plan
  // creates, not with TagSlots/newKeysOf (rules/tag-slots.ts, a slot per add or rename edit): here a rename onto a key
  // that already holds its value creates none, and two fixes writing one new key become one edit (planner-tag-slots.test).
  const userTags = Object.keys(resource.tags).filter((k) => !isAwsReservedKey(k)).length;
  const newKeys = (): number => new Set(candidates.flatMap((c) => [...c.newKeys])).size;
  if (userTags + newKeys() > MAX_USER_TAGS) {
    const order = [...candidates].filter((c) => c.newKeys.size > 0).sort((a, b) => b.keep - a.keep);
    for (const c of order) {
      if (userTags + newKeys() <= MAX_USER_TAGS) break;
      candidates = candidates.filter((x) => x !== c);
      for (const ruleId of c.ruleIds) {
        skipped.push({
          arn: resource.arn,
          ruleId,
          reason: 'tag-limit',
          detail: `the resource has ${userTags} user tags; this fix would pass ${MAX_USER_TAGS}`,
        });
      }
    }
  }
  if (candidates.length === 0) return { conflicts, skipped };

  // One edit per key: a rename already writes what an agreeing add or set would.
  const edits: PlanEdit[] = [];
  const covered = new Set<string>();
  const all = candidates.flatMap((c) => c.edits).sort((a, b) => OP_ORDER[a.op] - OP_ORDER[b.op]);
  for (const e of all) {
    const digest = e.op === 'set' || e.op === 'remove' ? e.digest : undefined;
    const keys = e.op === 'rename' ? [e.to, e.from] : [digest ? (findByDigest(resource.tags, digest) ?? e.key) : e.key];
    if (keys.every((k) => covered.has(k))) continue;
    for (const k of keys) covered.add(k);
    edits.push(maskLabels(e, show));
  }
  edits.sort((a, b) => OP_ORDER[a.op] - OP_ORDER[b.op] || editKey(a).localeCompare(editKey(b)));

  const ruleIds = [...new Set(candidates.flatMap((c) => c.ruleIds))].sort();
  const stack = plannedStack(resource.tags, show);
  const parents = resource.parentArns && resource.parentArns.length > 0 ? parentsAsRead(resource.parentArns, findings) : undefined;
  const source = inheritSources(findings, parents);
  const noted = edits.map((e) => withNotes(e, opts.policy, source, finished));
  return {
    planned: {
      arn: resource.arn,
      accountId: resource.accountId,
      region: resource.region,
      resourceType: resource.resourceType,
      ...(parents ? { parentArns: parents } : {}),
      expectedTags: recordTags(resource.tags, findings, resourceMask),
      edits: noted,
      ruleIds,
      ...(stack ? { cloudFormation: stack } : {}),
      ...(finished !== undefined ? { finishedJob: show(finished) } : {}),
    },
    conflicts,
    skipped,
  };
}

/**
 * Where each dictionary key's inherited value comes from: the parent a finding names (`data.parentArn`, as
 * inherited-tag-drift reports it), else — a value is only inherited from a direct parent — the resource's only one.
 */
function inheritSources(findings: readonly Finding[], parents: readonly string[] | undefined): (dictionaryKey: string) => string | undefined {
  const named = new Map<string, string>();
  for (const f of findings) {
    const key = f.data?.dictionaryKey;
    const arn = f.data?.parentArn;
    if (typeof key === 'string' && typeof arn === 'string' && !named.has(key)) named.set(key, arn);
  }
  const only = parents?.length === 1 ? parents[0] : undefined;
  return (key) => named.get(key) ?? only;
}

/** An edit with what the plan says about it for its reviewer (see EditNotes): its parent, and whether it is past cost. */
function withNotes(e: PlanEdit, policy: Policy, source: (dictionaryKey: string) => string | undefined, finished: string | undefined): PlanEdit {
  if (e.op === 'remove' || PII_TYPES.has(e.type)) return e;
  const entry = entryFor(policy, editKey(e));
  const inherits = e.type === 'inherit' || (e.op === 'rename' && e.valueType === 'inherit');
  const parentArn = inherits && entry ? source(entry.key) : undefined;
  const noPastCost = finished !== undefined && entry?.costAllocation === true;
  if (parentArn === undefined && !noPastCost) return e;
  return { ...e, ...(parentArn !== undefined ? { parentArn } : {}), ...(noPastCost ? { noPastCost: true as const } : {}) };
}

/**
 * The resource's parents, each by the ARN it was read under when the audit found it (inherited-tag-drift names the
 * parent it compared with, `data.parentArn`, as listed), else as the resource names it. A child may name a SageMaker
 * parent lower-cased while the parent's own list call gives its mixed-case ARN, and SageMaker answers "does not
 * exist" to an ARN in the wrong case: the re-read after an apply (verify.ts) reads parents by these.
 */
function parentsAsRead(parentArns: readonly string[], findings: readonly Finding[]): string[] {
  let read: Map<string, string> | undefined;
  for (const f of findings) {
    const arn = f.data?.parentArn;
    if (typeof arn !== 'string') continue;
    const key = parentKey(arn);
    if (!(read ??= new Map()).has(key)) read.set(key, arn);
  }
  const found = read;
  return found === undefined ? [...parentArns] : parentArns.map((p) => found.get(parentKey(p)) ?? p);
}

/**
 * The resource's user tags as a plan may hold them: every tag holding PII found on the resource (or flagged PII by a
 * finding) masked with its digest, so that drift checks compare it by digest and its text never leaves the vault.
 */
export function recordTags(tags: Readonly<Record<string, string>>, findings: readonly Finding[], mask: ResourceMask): RecordedTag[] {
  const flagged = new Map<string, { key: string; value: string; digest: TagDigest }>();
  for (const f of findings) {
    for (const e of f.fix ?? []) {
      if ((e.op === 'remove' || e.op === 'set') && e.digest) flagged.set(digestId(e.digest), { key: e.key, value: e.expected, digest: e.digest });
    }
  }
  const out: RecordedTag[] = [];
  for (const key of Object.keys(tags).sort()) {
    if (isAwsReservedKey(key)) continue;
    const value = tags[key] as string;
    const masked = mask.record(key, value);
    if ('digest' in masked) {
      out.push(masked);
      continue;
    }
    const forced = flagged.size > 0 ? flagged.get(digestId(tagDigest(key, value))) : undefined;
    out.push(forced ?? masked);
  }
  return out;
}

export interface Planner {
  /** Plans a resource from all of its findings (call once per resource); `parentOf` finds its parents (see planResource). */
  add(resource: Resource, findings: readonly Finding[], parentOf?: ParentLookup): void;
  finish(meta: { createdAt: string; toolVersion: string }): FixPlan;
}

/** Accumulates resource plans into one FixPlan, ordered by account, region and ARN. */
export function createPlanner(opts: PlannerOptions): Planner {
  const resources: PlannedResource[] = [];
  const conflicts: PlanConflict[] = [];
  const skipped: PlanSkip[] = [];
  return {
    add(resource, findings, parentOf) {
      const r = planResource(resource, findings, opts, parentOf);
      if (r.planned) resources.push(r.planned);
      conflicts.push(...r.conflicts);
      skipped.push(...r.skipped);
    },
    finish({ createdAt, toolVersion }) {
      const byPlace = (a: { arn: string; accountId?: string; region?: string }, b: typeof a): number =>
        (a.accountId ?? '').localeCompare(b.accountId ?? '') || (a.region ?? '').localeCompare(b.region ?? '') || a.arn.localeCompare(b.arn);
      const fixTypes: FixType[] = [...opts.fixTypes].filter((t) => !PII_TYPES.has(t));
      if (opts.fixPii) fixTypes.push(opts.fixPii === 'remove' ? 'pii-remove' : 'pii-redact');
      return {
        kind: 'tagaudit-fix-plan',
        version: FIX_PLAN_VERSION,
        createdAt,
        tool: { name: 'tagaudit', version: toolVersion },
        dictionary: { path: opts.policy.path, sha256: opts.policy.sha256 },
        fixTypes,
        ...(opts.fixPii ? { fixPii: opts.fixPii } : {}),
        resources: resources.sort(byPlace),
        conflicts: conflicts.sort((a, b) => a.arn.localeCompare(b.arn) || a.key.localeCompare(b.key)),
        skipped: skipped.sort((a, b) => a.arn.localeCompare(b.arn) || a.ruleId.localeCompare(b.ruleId)),
      };
    },
  };
}

/**
 * A finding the engine offered no fix for although one was due (the 50-tag room: `tag-limit`; an edit AWS would
 * refuse or one copying personal data: `unsupported-edit`), or two keys meaning one (conflicting-tag-keys, never fixed automatically): listed under
 * Skipped, so a plan never reads "0 skipped" while the scan says fixes were withheld.
 */
export function withheldSkip(f: Finding): { reason: SkipReason; detail: string } | undefined {
  if (f.withheld) return f.withheld;
  if (f.ruleId === RULE.conflictingTagKeys) return { reason: 'conflicting-keys', detail: f.message };
  return undefined;
}
