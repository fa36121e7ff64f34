import { isAwsReservedKey } from '../inventory/resource.js';

// The character set every tagging service accepts: letters and digits in any language, spaces (and invisible
// separators), and _ . : / = + - @. EC2 accepts more, SageMaker exactly this; a dictionary must work everywhere.
const ALLOWED_CHAR = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;
const ALLOWED_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const ALLOWED_CHARS_TEXT = 'letters, digits, spaces and _ . : / = + - @';

/** Why a string cannot be a tag key or value AWS accepts (beyond length, which the schema checks), or undefined. */
export function awsTextProblem(text: string, what: 'key' | 'value'): string | undefined {
  if (isAwsReservedKey(text)) return `starts with 'aws:', which AWS reserves for its own tag ${what}s`;
  if (ALLOWED_TEXT.test(text)) return undefined;
  const bad = [...text].find((ch) => !ALLOWED_CHAR.test(ch)) ?? '';
  const shown = /^[\x21-\x7e]$/.test(bad) ? `'${bad}'` : `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `contains ${shown}, which not every AWS service accepts in tag ${what}s (accepted everywhere: ${ALLOWED_CHARS_TEXT})`;
}
