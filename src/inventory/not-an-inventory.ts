/**
 * Files tagaudit itself writes that users pass to --inventory by mistake (a report instead of a saved inventory),
 * recognised by how they start, so they get one clear error instead of a "bad line" per finding.
 */
/** How a fix plan (`--plan-out`) and a journal start; file-kind.ts tells them apart by these too. */
export const PLAN_START = /^\{\s*"kind"\s*:\s*"tagaudit-fix-plan"/;
export const JOURNAL_START = /^\{\s*"t"\s*:\s*"begin"/;

const OTHER_FILES: readonly { readonly start: RegExp; readonly what: string }[] = [
  { start: /^\{\s*"schemaVersion"\s*:/, what: 'a tagaudit JSON report (scan --format json / --output-json)' },
  { start: /^\{\s*"\$schema"\s*:\s*"[^"]*sarif/i, what: 'a SARIF log' },
  { start: /^\{\s*"version"\s*:\s*"2\.1\.0"\s*,\s*"runs"/, what: 'a SARIF log' },
  { start: PLAN_START, what: 'a tagaudit fix plan (apply it with fix --plan FILE)' },
  { start: JOURNAL_START, what: 'a tagaudit journal (undo --journal FILE, fix --resume FILE)' },
  { start: /^\{\s*"digest"\s*:\s*\{\s*"keySha256"/, what: "a tagaudit PII vault (undo reads it beside its journal)" },
];

/** What the file is, when its first characters show it is one of tagaudit's own outputs rather than an inventory. */
export function otherTagauditFile(head: string): string | undefined {
  const start = withoutLeadingBlanks(head);
  return OTHER_FILES.find((f) => f.start.test(start))?.what;
}

/** The text without the blanks and byte-order mark before its first character. */
export function withoutLeadingBlanks(head: string): string {
  return head.replace(/^[\s\uFEFF]+/, '');
}

export function notAnInventoryMessage(what: string): string {
  return `this is ${what}, not an inventory: give JSON Lines of resources (scan --save-inventory writes them) or what \`aws resourcegroupstaggingapi get-resources\` prints`;
}
