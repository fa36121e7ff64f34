/**
 * Compressed files and archives, recognised by their first bytes: read as text, one would give a "not UTF-8" line
 * for every few hundred bytes (with a hint to iconv that cannot help), so readers refuse it with one line instead.
 * JSON text never starts with these bytes.
 */
interface PackedFormat {
  /** What the file is, as the message says it. */
  readonly what: string;
  /** What to do, and a command that does it to NAME. */
  readonly todo: string;
  readonly unpack: string;
  /** A command that writes the content of NAME to standard output (reading standard input without NAME, if it can). */
  readonly stream: string;
  readonly filter?: string;
  readonly magic: readonly (readonly number[])[];
}

const FORMATS: readonly PackedFormat[] = [
  { what: 'gzip-compressed', todo: 'decompress it', filter: 'gunzip -c', unpack: 'gunzip -k NAME', stream: 'gunzip -c NAME', magic: [[0x1f, 0x8b]] },
  {
    what: 'a zip archive',
    todo: 'extract the inventory from it',
    unpack: 'unzip NAME',
    stream: 'unzip -p NAME',
    magic: [
      [0x50, 0x4b, 0x03, 0x04],
      [0x50, 0x4b, 0x05, 0x06],
      [0x50, 0x4b, 0x07, 0x08],
    ],
  },
  { what: 'zstd-compressed', todo: 'decompress it', filter: 'zstd -dc', unpack: 'zstd -dk NAME', stream: 'zstd -dc NAME', magic: [[0x28, 0xb5, 0x2f, 0xfd]] },
  { what: 'xz-compressed', todo: 'decompress it', filter: 'xz -dc', unpack: 'xz -dk NAME', stream: 'xz -dc NAME', magic: [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]] },
  {
    what: 'bzip2-compressed',
    todo: 'decompress it',
    filter: 'bunzip2 -c',
    unpack: 'bunzip2 -k NAME',
    stream: 'bunzip2 -c NAME',
    // "BZh", the block size (1-9), then the magic of the first block (or of the end of an empty stream).
    magic: [1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((size) => [
      [0x42, 0x5a, 0x68, 0x30 + size, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
      [0x42, 0x5a, 0x68, 0x30 + size, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90],
    ]),
  },
];

function packedFormat(head: Uint8Array): PackedFormat | undefined {
  return FORMATS.find((f) => f.magic.some((m) => m.length <= head.length && m.every((b, i) => head[i] === b)));
}

/** Whether a file starting with `head` is compressed or an archive (see packedInventoryMessage). */
export function isPackedData(head: Uint8Array): boolean {
  return packedFormat(head) !== undefined;
}

/**
 * What a reader says of a file (or standard input, `shownName` undefined) that starts as a compressed file or an
 * archive does, or undefined. `shownName` goes into the suggested commands when the shell takes it as it is.
 */
export function packedInventoryMessage(head: Uint8Array, shownName: string | undefined): string | undefined {
  const f = packedFormat(head);
  if (!f) return undefined;
  if (shownName === undefined)
    return `standard input is ${f.what}; ${f.filter ? `decompress it on the way in (… | ${f.filter} | tagaudit scan -i -)` : `${f.todo} first`}`;
  const name = /^[\w./+,:=@-]+$/.test(shownName) && !shownName.startsWith('-') ? shownName : 'FILE';
  return `inventory file is ${f.what}; ${f.todo} first (e.g. ${f.unpack.replace('NAME', name)}), or pipe it in: ${f.stream.replace('NAME', name)} | tagaudit scan -i -`;
}
