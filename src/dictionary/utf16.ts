/** What a dictionary saved as UTF-16 is told (see isUtf16Text in src/inventory/utf8.ts). */
export const UTF16_DICTIONARY_MESSAGE =
  'dictionary file is UTF-16 text; save it as UTF-8 (iconv -f utf-16 -t utf-8; in PowerShell: Out-File -Encoding utf8; in Notepad: Save As, Encoding UTF-8)';
