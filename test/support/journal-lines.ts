import { readFileSync } from 'node:fs';

/** One record of a journal file, as much of it as tests look at. */
export interface JournalLine {
  readonly t: string;
  readonly api?: string;
  readonly arns?: string[];
  readonly region?: string;
}

/** The write calls a journal file records, in order: read line by line as written, not through src/fix/journal.ts. */
export function journalCallLines(path: string): JournalLine[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalLine)
    .filter((r) => r.t === 'call');
}
