/**
 * Every sentence a rule or the engine puts in a finding, in one place so the wording stays consistent.
 * Callers pass strings that are already safe to show (masked through ctx.display where they come from tags).
 */
import { describeKeyCase } from '../dictionary/key-case.js';
import type { KeyCase } from '../dictionary/policy.js';

/**
 * Quotes a tag key or value for a message. JSON escaping makes C0 control characters visible; DEL, C1 controls (a
 * one-byte CSI) and the characters that reorder text (bidirectional overrides and isolates, line separators) are
 * written as \uNNNN too: messages reach terminals through the JSON report and GitHub's alert view through SARIF.
 */
export function q(text: string): string {
  const quoted = JSON.stringify(text);
  return INVISIBLE.test(quoted) ? quoted.replace(INVISIBLE_G, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : quoted;
}

const INVISIBLE = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const INVISIBLE_G = new RegExp(INVISIBLE.source, 'g');

function list(items: readonly string[], max = 8): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown}, … (${items.length} in all)` : shown;
}

const FINISHED_JOB_LEAD = '; this job has finished (';
const FINISHED_JOB_TAIL = '): AWS never applies tags retroactively, so tagging it now attributes none of its past cost';

export const MESSAGES = {
  missingTag: (key: string, resourceType: string, scoped: boolean) =>
    scoped ? `missing tag ${key}, mandatory for ${resourceType}` : `missing mandatory tag ${key}`,
  emptyValue: (key: string, blank: boolean) => `tag ${q(key)} has ${blank ? 'a blank' : 'an empty'} value`,
  proposeDefault: (value: string, perAccount: boolean) => `; proposed: the ${perAccount ? "account's" : "dictionary's"} default ${q(value)}`,
  proposeInherit: (value: string, parentArn: string) => `; proposed: ${q(value)}, copied from its parent ${parentArn}`,
  noDefault: '; the dictionary gives no default, so it must be set by hand',
  noDefaultUnknownAccount: "; its default depends on the account, which this resource's ARN does not name, so it must be set by hand",
  inheritedPii: (shown: string, parentArn: string) =>
    `; its parent ${parentArn} carries ${q(shown)}, which holds personal data and is not copied`,

  miscasedKey: (key: string, matched: string, canonical: string) =>
    matched === canonical
      ? `tag key ${q(key)} is a miscased form of ${canonical}`
      : `tag key ${q(key)} is a miscased form of ${q(matched)}, a deprecated name of ${canonical}`,
  lastSegmentKey: (key: string, canonical: string) => `tag key ${q(key)} matches the last segment of ${canonical}; use the full key`,
  deprecatedKey: (key: string, canonical: string) => `tag key ${q(key)} is a deprecated name of ${canonical}`,
  renameValueToo: (from: string, to: string) => ` (the rename also changes its value ${q(from)} to ${q(to)})`,
  renameKeepsInvalidValue: (value: string) => ` (the rename keeps its value ${q(value)}, which stays invalid: see invalid-tag-value)`,
  renameKeepsAmbiguousValue: (value: string) =>
    ` (the rename keeps its value ${q(value)}, which still needs one of the allowed values chosen by hand: see miscased-tag-value)`,
  valueFixedInPlace: (ruleId: string) => ` (its value is fixed under the old key instead: see ${ruleId})`,
  renameWithheldConflict: (canonical: string) =>
    `; not renamed: another tag on this resource also means ${canonical} (see conflicting-tag-keys)`,

  invalidValue: (value: string, key: string, canonical: string) =>
    key === canonical ? `value ${q(value)} of tag ${canonical} is not allowed` : `value ${q(value)} of tag ${q(key)} is not allowed for ${canonical}`,
  allowedValues: (values: readonly string[]) => ` (allowed: ${list(values)})`,
  allowedPattern: (source: string) => ` (expected to match ${source})`,
  miscasedValue: (value: string, key: string, to: string) => `value ${q(value)} of tag ${q(key)} is a miscased form of ${q(to)}`,
  aliasedValue: (value: string, key: string, to: string) => `value ${q(value)} of tag ${q(key)} is a deprecated name of ${q(to)}`,
  valueFixedByRename: '; the proposed key rename also fixes the value',
  valueReplacedByRename: "; the proposed key rename writes the parent's value instead (see inherited-tag-drift)",
  valueFixedByDrift: "; inherited-tag-drift proposes the parent's value instead",
  ambiguousValue: (value: string, key: string, candidates: readonly string[]) =>
    `value ${q(value)} of tag ${q(key)} differs only in case from several allowed values (${list(candidates)}); choose one by hand`,

  /** `agreement`: the tags carry the same value, or values the dictionary normalises to one (`value`, shown). */
  conflictingKeys: (canonical: string, shown: readonly string[], agreement: 'same' | { readonly value: string } | undefined) =>
    `tags ${list(shown)} all mean ${canonical}; ` +
    (agreement === 'same'
      ? 'they carry the same value, so remove the redundant ones'
      : agreement
        ? `their values agree (all mean ${q(agreement.value)}), so no value needs choosing: only the duplicate keys need removing`
        : 'keep the right value under one key and remove the others') +
    ' (not fixed automatically)',

  unknownKey: (key: string) => `tag key ${q(key)} is not in the dictionary`,
  ambiguousKey: (key: string, candidates: readonly string[]) => `tag key ${q(key)} could mean any of ${list(candidates)}; use the full key`,
  breaksKeyCase: (keyCase: KeyCase) => `; it also breaks the key convention: ${describeKeyCase(keyCase)}`,
  lacksPrefix: (prefix: string) => `; it lacks the required prefix ${q(prefix)}`,

  tagLimitClose: (count: number, limit: number) => `resource carries ${count} user tags, close to the AWS limit of ${limit}`,
  tagLimitAt: (limit: number) => `resource carries ${limit} user tags, the AWS limit: no tag can be added`,
  tagLimitOver: (count: number, limit: number) => `resource carries ${count} user tags, over the AWS limit of ${limit}`,

  piiFound: (where: 'key' | 'value' | 'key and value', key: string, found: readonly string[]) =>
    (where === 'value' ? `value of tag ${q(key)} contains` : where === 'key' ? `tag key ${q(key)} contains` : `tag ${q(key)} contains, in its key and value,`) +
    ` personal data: ${list(found)}`,
  piiKindShown: (label: string, masked: string) => `${label} ${q(masked)}`,
  piiFixHint: '; remove or redact it with --fix-pii remove|redact',
  piiAwsTag: '; it is an aws: tag, which only AWS can change',

  driftMissing: (key: string, shown: string, parentArn: string) =>
    `tag ${key} is missing while its parent ${parentArn} carries ${q(shown)} (SageMaker copies tags only at creation)`,
  driftDiffers: (key: string, current: string, shown: string, parentArn: string) =>
    `tag ${q(key)} is ${q(current)} while its parent ${parentArn} carries ${q(shown)}`,
  driftFixedByRename: "; the proposed key rename also copies the parent's value",

  ruleFailed: (id: string, reason: string) => `rule ${id} failed to evaluate: ${reason}`,
  finishedJob: (state: string) => `${FINISHED_JOB_LEAD}${state}${FINISHED_JOB_TAIL}`,
  fixWithheld: (reason: string) => `; no fix proposed: ${reason}`,
  withheldPii: 'the tag holds personal data and would be copied (see pii-in-tag)',
  withheldEmpty: 'its value is empty and the dictionary gives none to fill it (see empty-tag-value)',
  withheldEmptyUnfilled: (why: 'off' | 'suppressed') =>
    `its value is empty and empty-tag-value, which would fill it, is ${why === 'off' ? 'turned off' : 'suppressed for this tag'}`,
  withheldEmptyFill: (problem: string) => `its value is empty and what would fill it cannot be written (${problem})`,
  withheldAwsKey: 'it would touch an aws: tag, which only AWS can change',
  withheldInvalidKey: (problem: string) => `the key it would write ${problem}`,
  withheldInvalidValue: (problem: string) => `the value it would write ${problem}`,
  withheldNoRoom: (count: number, limit: number) => `the resource already carries ${count} of ${limit} user tags`,
  withheldNoRoomLeft: (count: number, limit: number) =>
    `the resource carries ${count} of ${limit} user tags and its other fixes take the room left`,
} as const;

/** Whether a finding's message says its resource is a finished job (finishedJob above: the engine lowered it to a note). */
export function saysJobFinished(message: string): boolean {
  const lead = message.indexOf(FINISHED_JOB_LEAD);
  return lead >= 0 && message.includes(FINISHED_JOB_TAIL, lead);
}

/** Whether a withheld fix's reason is one of the 50-tag ones above (withheldNoRoom, withheldNoRoomLeft). */
export function isNoRoomReason(reason: string): boolean {
  return /^the resource (already )?carries \d+ of \d+ user tags/.test(reason);
}

export type MessageId = keyof typeof MESSAGES;
