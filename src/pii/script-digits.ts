/**
 * Digits of other scripts pasted into tags: full-width (U+FF10–U+FF19, with the full-width plus U+FF0B), as
 * East Asian input methods type them, and Arabic-Indic (U+0660–U+0669) and Extended Arabic-Indic (U+06F0–U+06F9).
 * The digit-run detectors (phone, SSN, card) read them as ASCII digits; masks star them as digits.
 */
const SCRIPT_DIGIT = /[\uff10-\uff19\uff0b\u0660-\u0669\u06f0-\u06f9]/;
const SCRIPT_DIGIT_G = new RegExp(SCRIPT_DIGIT.source, 'g');

export const hasScriptDigits = (text: string): boolean => SCRIPT_DIGIT.test(text);

function ascii(c: string): string {
  const code = c.charCodeAt(0);
  if (code === 0xff0b) return '+';
  const zero = code >= 0xff10 ? 0xff10 : code >= 0x06f0 ? 0x06f0 : 0x0660;
  return String.fromCharCode(48 + code - zero);
}

/** `text` with every such digit (and a full-width '+') written in ASCII: one code unit for one, so spans stay put. */
export function asciiDigits(text: string): string {
  return hasScriptDigits(text) ? text.replace(SCRIPT_DIGIT_G, ascii) : text;
}

/** An ASCII digit or one of the digits above. */
export function isDigitChar(c: string): boolean {
  return (c >= '0' && c <= '9') || (c !== '\uff0b' && SCRIPT_DIGIT.test(c));
}
