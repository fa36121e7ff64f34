import type { RuleMeta } from './types.js';

const HEADERS = ['RULE', 'SEVERITY', 'FIXABLE', 'DESCRIPTION'] as const;

/**
 * `tagaudit rules` as a plain aligned table. With `width` (a terminal's columns) the description column wraps to
 * fit; without it (a pipe), every rule stays on one line so grep and awk see whole rows.
 */
export function formatRulesTable(rules: readonly RuleMeta[], width?: number): string {
  const rows = rules.map((r) => [r.id, r.defaultSeverity, r.fixable ? 'yes' : 'no', describe(r)] as const);
  const w0 = Math.max(HEADERS[0].length, ...rows.map((r) => r[0].length));
  const w1 = Math.max(HEADERS[1].length, ...rows.map((r) => r[1].length));
  const w2 = Math.max(HEADERS[2].length, ...rows.map((r) => r[2].length));
  const indent = w0 + w1 + w2 + 6;
  const descWidth = width && width - indent >= 30 ? width - indent : undefined;
  const line = (c0: string, c1: string, c2: string, c3: string): string =>
    `${c0.padEnd(w0)}  ${c1.padEnd(w1)}  ${c2.padEnd(w2)}  ${c3}`.trimEnd();
  const out = [line(...HEADERS)];
  for (const [id, severity, fixable, description] of rows) {
    const parts = descWidth ? wrap(description, descWidth) : [description];
    out.push(line(id, severity, fixable, parts[0] ?? ''));
    for (const more of parts.slice(1)) out.push(`${' '.repeat(indent)}${more}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The description, then what else decides the level when something does (severityNote): in the description column,
 * which wraps, so the severity column stays one word.
 */
function describe(rule: RuleMeta): string {
  return rule.severityNote === undefined ? rule.description : `${rule.description} Severity: ${rule.severityNote}.`;
}

/** The rule metadata array as pretty JSON (what SARIF rules[] and reports are built from). */
export function formatRulesJson(rules: readonly RuleMeta[]): string {
  return `${JSON.stringify(rules, null, 2)}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}
