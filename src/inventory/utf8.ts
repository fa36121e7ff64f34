/**
 * Where bytes stop being UTF-8. Decoding replaces a bad sequence with U+FFFD without a word, and a tag value read that
 * way would be written back to AWS garbled by a rename, so readers reject such input and say where it goes wrong.
 * Only called once a fast check (`isUtf8`) has failed.
 */

/** Byte offset of the first byte in [start, end) that does not begin a valid UTF-8 sequence, or undefined. */
export function invalidUtf8At(bytes: Uint8Array, start = 0, end = bytes.length): number | undefined {
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte → sequence length and the range of its first continuation byte (no overlongs, no surrogates, ≤ U+10FFFF).
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= end) return i; // cut short by the end of the line
    const first = bytes[i + 1]!;
    if (first < lo || first > hi) return i;
    for (let k = 2; k <= n; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += n + 1;
  }
  return undefined;
}

/** 1-based line and column (in UTF-16 units, as editors and JSON.parse count) of a byte offset in UTF-8 text. */
export function utf8LineCol(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, offset - lineStart).toString('utf8').length + 1 };
}

/** What a reader says at the first byte that is not UTF-8 (positioned by the caller). */
export function notUtf8Message(what: string): string {
  return `not UTF-8 text here; save the ${what} as UTF-8 (e.g. iconv -f latin1 -t utf-8)`;
}

/**
 * Whether a file's bytes are UTF-16 text: what Windows Notepad saves as "Unicode" and PowerShell 5 writes with
 * `>` or Out-File. With a byte-order mark (FF FE, FE FF) the bytes are not UTF-8; without one, the text is ASCII with a
 * NUL byte before or after every character, which is valid UTF-8 but no YAML or JSON: neither holds a NUL byte, so the pattern cannot be a real dictionary or
 * inventory.
 */
export function isUtf16Text(bytes: Uint8Array): boolean {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return true;
  if (bytes.length < 4) return false;
  const littleEndian = a !== 0 && b === 0 && c !== 0 && d === 0;
  const bigEndian = a === 0 && b !== 0 && c === 0 && d !== 0;
  return littleEndian || bigEndian;
}
