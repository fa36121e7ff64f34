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
 * Lengths are counted in UTF-16 units, which never undercounts AWS's Unicode characters.
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

function keyProblem(key: string): string | undefined {
  if (isAwsReservedKey(key)) return MESSAGES.withheldAwsKey;
  if (key.length === 0) return MESSAGES.withheldInvalidKey('is empty');
  if (key.length > MAX_KEY_LENGTH) return MESSAGES.withheldInvalidKey(`is longer than ${MAX_KEY_LENGTH} characters`);
  const problem = awsTextProblem(key, 'key');
  return problem ? MESSAGES.withheldInvalidKey(problem) : undefined;
}

function valueProblem(value: string): string | undefined {
  if (value.length > MAX_VALUE_LENGTH) return MESSAGES.withheldInvalidValue(`is longer than ${MAX_VALUE_LENGTH} characters`);
  const problem = awsTextProblem(value, 'value');
  return problem ? MESSAGES.withheldInvalidValue(problem) : undefined;
}
