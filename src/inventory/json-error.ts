/**
 * JSON.parse's message without the text it quotes (V8 embeds a snippet of the input, which may hold PII),
 * plus the 0-based offset when V8 names one.
 */
export function describeJsonError(err: unknown): { message: string; offset?: number } {
  const raw = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(raw);
  const token = /^Unexpected token '([\s\S]{1,2}?)',/.exec(raw);
  // Whatever V8 appends after the first double quote is a snippet of the input.
  const message = token ? `Unexpected token ${JSON.stringify(token[1])}` : raw.replace(/ in JSON at position \d+.*$/s, '').split('"')[0]!.replace(/[,\s.]+$/, '');
  return position ? { message: `invalid JSON: ${message}`, offset: Number(position[1]) } : { message: `invalid JSON: ${message}` };
}

/** 1-based line and column of a 0-based offset in text. */
export function lineColAt(text: string, offset: number, firstLine = 1): { line: number; col: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}
