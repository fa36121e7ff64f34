/**
 * Makes control characters (newlines, tabs, ESC and C1 sequences) visible as `\xNN`, so untrusted text (tag keys
 * and values from AWS or an inventory file) cannot reshape, recolor or retitle the terminal.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Lines joined for a terminal: each line's own control characters made visible, then one newline after each. */
export function visibleLines(lines: readonly string[]): string {
  return `${lines.map(sanitize).join('\n')}\n`;
}
