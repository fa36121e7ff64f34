import { defaultValueFor, foldKey, type Policy, type TagPolicy } from '../dictionary/policy.js';
import { isBlank, isMapped, type PolicyIndex } from '../rules/policy-index.js';
import { digestId, sha256Hex } from './digest.js';
import { hasDigest, type PlanEdit, type PlannedResource, type RecordedTag } from './plan.js';

/*
 * What a loaded plan's edits must agree with in the dictionary, beyond dictionaryProblem (planner.ts): a value is
 * changed only as the planner changes it. Used by checkPlanWrites (plan-file.ts), after its checks for personal data,
 * so a message may quote an edit's text; `field` is the edit's field to point at (none: the edit itself).
 */

export interface EditProblem {
  readonly field?: string;
  readonly message: string;
}

/** The dictionary entry a tag key means, as the scan classifies it (its key, an alias, a miscasing, its last segment). */
function entryOf(index: PolicyIndex, key: string): TagPolicy | undefined {
  const cls = index.classify(key);
  return isMapped(cls) ? cls.entry : undefined;
}

/** The entry the planner finds a key by when it names an inherited value's parent: its key, an alias, a unique miscasing. */
function namedEntryOf(policy: Policy, key: string): TagPolicy | undefined {
  const exact = policy.byKey.get(key) ?? policy.byAlias.get(key);
  if (exact) return exact;
  const folded = policy.byFoldedKey.get(foldKey(key));
  return folded && folded.length === 1 ? folded[0] : undefined;
}

/** A normalize-value writes the dictionary's form of the value it replaces (case or alias), nothing else. */
function normalizeProblem(index: PolicyIndex, entry: TagPolicy | undefined, key: string, expected: string, value: string): EditProblem | undefined {
  const verdict = entry ? index.verdict(entry, expected) : undefined;
  if (verdict?.kind === 'normalize' && verdict.to === value) return undefined;
  return {
    field: 'value',
    message:
      verdict?.kind === 'normalize'
        ? `the dictionary's form of ${JSON.stringify(expected)} for ${key} is ${JSON.stringify(verdict.to)}, not ${JSON.stringify(value)}`
        : `the dictionary has no other form of ${JSON.stringify(expected)} for ${key}: a normalize-value only re-spells a value (case or alias)`,
  };
}

function defaultProblem(entry: TagPolicy | undefined, key: string, accountId: string, value: string): EditProblem | undefined {
  if (entry && defaultValueFor(entry, accountId) === value) return undefined;
  return { field: 'value', message: `the dictionary gives no default ${JSON.stringify(value)} for ${key}` };
}

/**
 * An inherit that overwrites a value names the parent it copies (`parentArn`) wherever the planner does: for a key the
 * dictionary lists, as an alias or in another case. (Not for a key it knows by its last segment only: the planner
 * names no parent there.) Which parent, and that it is one of the resource's, is checked in plan-tags.ts.
 */
function parentProblem(policy: Policy, key: string, e: { readonly expected: string; readonly parentArn?: string }): EditProblem | undefined {
  if (e.parentArn !== undefined || isBlank(e.expected) || !namedEntryOf(policy, key)) return undefined;
  return { message: `this edit writes a parent's value over ${JSON.stringify(e.expected)} but names no parent it copies it from ("parentArn")` };
}

/**
 * Why a non-PII edit does not change a value as the planner would with this dictionary (the one the plan was made
 * with), or undefined: a normalize-value writes the form the dictionary gives its old value, an add-default set fills
 * the key's default for the account, a rename goes from a key to the dictionary key it means, carrying its value
 * changed as its `valueType` says, and an overwriting inherit names its parent.
 */
export function editValueProblem(index: PolicyIndex, r: PlannedResource, e: PlanEdit): EditProblem | undefined {
  if (e.op === 'set' && !e.digest) {
    const entry = entryOf(index, e.key);
    if (e.type === 'normalize-value') return normalizeProblem(index, entry, e.key, e.expected, e.value);
    if (e.type === 'add-default') return defaultProblem(entry, e.key, r.accountId, e.value);
    if (e.type === 'inherit') return parentProblem(index.policy, e.key, e);
  } else if (e.op === 'rename') {
    const entry = entryOf(index, e.from);
    if (entry?.key !== e.to) {
      return { field: 'to', message: entry ? `${e.from} means ${entry.key} in the dictionary, not ${e.to}` : `${e.from} means no key of the dictionary: it is not renamed` };
    }
    if (e.valueType === 'normalize-value') return normalizeProblem(index, entry, e.to, e.expected, e.value);
    if (e.valueType === 'add-default') return defaultProblem(entry, e.to, r.accountId, e.value);
    if (e.valueType === 'inherit') return parentProblem(index.policy, e.to, e);
  }
  return undefined;
}

/**
 * Why a pii-remove or pii-redact edit does not name personal data, or undefined. The plan shows such a tag masked,
 * named by the digest of its raw key and value, so its text is known only where the plan shows it as it is (a label
 * of the edit or of its expectedTags entry that hashes to the digest):
 * - both key and value shown as they are: the tag is judged as the scan judges it, with the dictionary in use. No
 *   personal data: refused (only personal data is removed or redacted). Personal data: refused too, as a plan never
 *   shows it unmasked (the planner masks it);
 * - otherwise each label not shown as it is must be a mask (`*`): what it hides is checked only when the applier
 *   finds the tag by its digest.
 * With the dictionary's PII detection off, nothing is personal data: every PII edit is refused.
 */
export function piiTargetProblem(index: PolicyIndex, expectedTags: readonly RecordedTag[], e: PlanEdit): EditProblem | undefined {
  if ((e.op !== 'remove' && e.op !== 'set') || !e.digest) return undefined;
  const d = e.digest;
  const done = e.type === 'pii-redact' ? 'redacted' : 'removed';
  if (!index.piiEnabled) {
    return { field: 'type', message: `the dictionary in use has PII detection off (pii.enabled: false): it sees no personal data to be ${done}` };
  }
  const id = digestId(d);
  const tag =
    expectedTags.find((t) => hasDigest(t) && digestId(t.digest) === id) ??
    expectedTags.find((t) => !hasDigest(t) && sha256Hex(t.key) === d.keySha256 && sha256Hex(t.value) === d.valueSha256);
  const rawKey = [e.key, tag?.key].find((k) => k !== undefined && sha256Hex(k) === d.keySha256);
  const rawValue = [e.expected, tag?.value].find((v) => v !== undefined && sha256Hex(v) === d.valueSha256);
  if (rawKey !== undefined && rawValue !== undefined) {
    const hit = index.facts(rawKey, rawValue).pii[0];
    const field = rawKey === e.key ? 'key' : 'digest';
    if (!hit) {
      return { field, message: `this ${e.type} edit names a tag that holds no personal data under the dictionary's PII settings: only personal data is ${done}` };
    }
    return { field, message: `this ${e.type} edit's tag is shown unmasked (${hit.kind}: ${hit.masked}); a plan shows personal data masked, named by its digest` };
  }
  for (const [field, label, raw] of [
    ['key', e.key, rawKey],
    ['expected', e.expected, rawValue],
  ] as const) {
    if (raw === undefined && !label.includes('*')) {
      return { field, message: `this ${e.type} edit's "${field}" is neither the text of the tag its digest names nor a mask of it` };
    }
  }
  return undefined;
}
