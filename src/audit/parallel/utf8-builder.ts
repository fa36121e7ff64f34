/**
 * Text encoded to UTF-8 as it is appended, into one growing buffer of its own (not Node's shared pool), so the
 * bytes can be handed to another thread without a copy. Appending small fresh strings and encoding them at once is
 * far cheaper than concatenating them and encoding the long result (V8 would flatten the rope first).
 */
export class Utf8Builder {
  private buf: Buffer;
  private used = 0;

  /** `spare`: memory to write into first (a buffer an earlier builder's bytes() gave, no longer needed). */
  constructor(initialBytes = 1 << 20, spare?: ArrayBuffer) {
    this.buf = spare && spare.byteLength >= initialBytes ? Buffer.from(spare) : Buffer.allocUnsafeSlow(initialBytes);
  }

  append(text: string): void {
    // At most 3 bytes per UTF-16 unit.
    const room = text.length * 3;
    if (room > this.buf.length - this.used) this.grow(room);
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  get length(): number {
    return this.used;
  }

  /** The bytes written so far; the view's buffer may be transferred (postMessage) once nothing more is appended. */
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.used);
  }

  private grow(atLeast: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.used + atLeast));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}
