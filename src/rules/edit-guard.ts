import { awsTextProblem } from '../dictionary/aws-tag-rules.js';
import { MAX_KEY_LENGTH, MAX_VALUE_LENGTH, isAwsReservedKey } from '../inventory/resource.js';
import type { TagEdit } from './types.js';
import { MESSAGES } from './messages.js';

/** pii-* edits carry masked text plus a digest; they are checked by the planner, not against AWS syntax here. */
export function isPiiEdit(edit: TagEdit): boolean {
  return edit.type === 'pii-remove' || edit.type === 'pii-redact';
}

/**
 * Why an edit must not be proposed: it touches an `aws:` tag, or writes a key / value AWS would reject
 * (key 1–128 characters, value at most 256, letters, digits, spaces and _ . : / = + - @). Undefined when fine.
 * Lengths are counted in Unicode characters (code points), as AWS and the fixer's own check (fix/tag-text.ts) do.
 */
export function editProblem(edit: TagEdit): string | undefined {
  switch (edit.op) {
    case 'add':
      return keyProblem(edit.key) ?? valueProblem(edit.value);
    case 'set':
      return isAwsReservedKey(edit.key) ? MESSAGES.withheldAwsKey : isPiiEdit(edit) ? undefined : valueProblem(edit.value);
    case 'rename':
      return isAwsReservedKey(edit.from) ? MESSAGES.withheldAwsKey : (keyProblem(edit.to) ?? valueProblem(edit.value));
    case 'remove':
      return isAwsReservedKey(edit.key) ? MESSAGES.withheldAwsKey : undefined;
  }
}

/** Whether the text has more than `max` code points (its UTF-16 length is never smaller, so it decides most cases). */
function longerThan(text: string, max: number): boolean {
  return text.length > max && [...text].length > max;
}

function keyProblem(key: string): string | undefined {
  if (isAwsReservedKey(key)) return MESSAGES.withheldAwsKey;
  if (key.length === 0) return MESSAGES.withheldInvalidKey('is empty');
  if (longerThan(key, MAX_KEY_LENGTH)) return MESSAGES.withheldInvalidKey(`is longer than ${MAX_KEY_LENGTH} characters`);
  const problem = awsTextProblem(key, 'key');
  return problem ? MESSAGES.withheldInvalidKey(problem) : undefined;
}

function valueProblem(value: string): string | undefined {
  if (longerThan(value, MAX_VALUE_LENGTH)) return MESSAGES.withheldInvalidValue(`is longer than ${MAX_VALUE_LENGTH} characters`);
  const problem = awsTextProblem(value, 'value');
  return problem ? MESSAGES.withheldInvalidValue(problem) : undefined;
}

/** Whether any text of the edit contains PII found on the resource (`show`, the resource's redactor, would change it). */
export function editCarriesPii(edit: TagEdit, show: (text: string) => string): boolean {
  const fields =
    edit.op === 'rename' ? [edit.from, edit.to, edit.expected, edit.value] : edit.op === 'add' ? [edit.key, edit.value] : [edit.key, edit.expected, ...(edit.op === 'set' ? [edit.value] : [])];
  return fields.some((f) => show(f) !== f);
}

/**
 * Why the engine withholds a proposed edit on a resource (before the 50-tag budget): `editProblem`, or — for a non-PII
 * edit on a resource with PII (`piiTagCount` > 0) — PII it would copy. Undefined when the edit may be offered.
 */
export function withheldReason(edit: TagEdit, piiTagCount: number, show: (text: string) => string): string | undefined {
  const problem = editProblem(edit);
  if (problem) return problem;
  if (!isPiiEdit(edit) && piiTagCount > 0 && editCarriesPii(edit, show)) return MESSAGES.withheldPii;
  return undefined;
}
