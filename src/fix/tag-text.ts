import { awsTextProblem } from '../dictionary/aws-tag-rules.js';
import { isAwsReservedKey, MAX_KEY_LENGTH, MAX_VALUE_LENGTH } from '../inventory/resource.js';

// EC2 accepts any character in tags (beyond the aws: prefix and lengths); every other service the fixer writes to
// takes the generic set (SageMaker's pattern is exactly that set).
const ANY_CHARACTER_SERVICES = new Set(['ec2']);

function length(text: string): number {
  return [...text].length;
}

/** Why `key` cannot be written as a tag key on a resource of `service`, or undefined when it can. */
export function keyProblem(service: string, key: string): string | undefined {
  if (isAwsReservedKey(key)) return "keys starting with 'aws:' are reserved by AWS";
  const n = length(key);
  if (n < 1) return 'a tag key cannot be empty';
  if (n > MAX_KEY_LENGTH) return `a tag key is at most ${MAX_KEY_LENGTH} characters (this one has ${n})`;
  if (ANY_CHARACTER_SERVICES.has(service)) return undefined;
  return awsTextProblem(key, 'key');
}

/** Why `value` cannot be written as a tag value on a resource of `service`, or undefined when it can. */
export function valueProblem(service: string, value: string): string | undefined {
  const n = length(value);
  if (n > MAX_VALUE_LENGTH) return `a tag value is at most ${MAX_VALUE_LENGTH} characters (this one has ${n})`;
  if (ANY_CHARACTER_SERVICES.has(service)) return undefined;
  // Conservative: AWS documents the aws: prefix as reserved for values too, so the fixer never writes one.
  return awsTextProblem(value, 'value');
}

const WRITABLE_CHAR = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;

/** Replaces every character no tagging service accepts with '_' (a redaction's '*' becomes '_'). */
export function toWritableText(text: string): string {
  let out = '';
  for (const ch of text) out += WRITABLE_CHAR.test(ch) ? ch : '_';
  return out;
}
