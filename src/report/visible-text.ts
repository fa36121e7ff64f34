/**
 * Makes control characters (newlines, tabs, ESC and C1 sequences) visible as `\xNN`, and the characters that reorder
 * or break lines without being control characters (bidirectional overrides and isolates, line and paragraph
 * separators) as `\uNNNN`, so untrusted text (tag keys and values from AWS or an inventory file) cannot reshape,
 * recolor or retitle the terminal, nor make an ARN read as another (`…:function:\u202egnp.exe`).
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Lines joined for a terminal: each line's own control characters made visible, then one newline after each. */
export function visibleLines(lines: readonly string[]): string {
  return `${lines.map(sanitize).join('\n')}\n`;
}
