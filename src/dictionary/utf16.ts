/**
 * Whether a dictionary's bytes are UTF-16 text: what Windows Notepad saves as "Unicode" and PowerShell 5 writes with
 * `>` or Out-File. With a byte-order mark (FF FE, FE FF) the bytes are not UTF-8; without one, the text is ASCII with a
 * NUL byte before or after every character, which is UTF-8 but YAML the parser reads as one odd string. A YAML file
 * holds no NUL byte, so the pattern cannot be a real dictionary.
 *
 * The inventory reader recognises the byte-order mark alike (src/inventory/read-inventory.ts, isUtf16).
 */
export function isUtf16Text(bytes: Uint8Array): boolean {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return true;
  if (bytes.length < 4) return false;
  const littleEndian = a !== 0 && b === 0 && c !== 0 && d === 0;
  const bigEndian = a === 0 && b !== 0 && c === 0 && d !== 0;
  return littleEndian || bigEndian;
}

export const UTF16_DICTIONARY_MESSAGE =
  'dictionary file is UTF-16 text; save it as UTF-8 (iconv -f utf-16 -t utf-8; in PowerShell: Out-File -Encoding utf8; in Notepad: Save As, Encoding UTF-8)';
