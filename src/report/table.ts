import { Chalk, Table, type ChalkInstance } from '../vendor/terminal-table.js';
import { groupNameOf, tryParseArn } from '../inventory/arn.js';
import { SEVERITIES, SEVERITY_RANK, type Finding, type Severity, type TagEdit } from '../rules/types.js';
import { DEFAULT_ARN_MASK, showError, showFinding, type ArnMask } from './arn-display.js';
import { discardOutput, type ChunkWriter, type ReportSink } from './sink.js';
import type { Report, ScanError, ScanScope } from './types.js';
import { sanitize } from './visible-text.js';
import { overwritesWithParentValue } from '../rules/finished-jobs.js';
import { saysJobFinished } from '../rules/messages.js';

export { sanitize };

/*
 * The human report: a rule × severity summary, then findings grouped by resource, scan gaps, and a one-line
 * verdict. Layout is computed on plain text and colored afterwards, so no line is ever wider than `width`.
 * Text from AWS (tag keys, values, messages) is untrusted: control characters are made visible, never sent to
 * the terminal.
 */

export interface TableOptions {
  /** The caller decides (TTY, NO_COLOR, --no-color); chalk's global auto-detection is never used. */
  readonly color: boolean;
  /** Terminal columns; no output line is wider. Values under 40 are treated as 40. */
  readonly width: number;
  /** Masks e-mail addresses in ARNs (arnMasker(policy.pii); default: the default PII settings). */
  readonly arnMask?: ArnMask;
}

const MIN_WIDTH = 40;
const INDENT = 2;
const GAP = 2;
const SEVERITY_WIDTH = 7; // 'warning'

/** Buffers findings (grouping needs them all) and writes the table at finish(). */
export function createTableSink(out: ChunkWriter, options: TableOptions): ReportSink {
  const findings: Finding[] = [];
  return {
    add(finding) {
      findings.push(finding);
    },
    async finish(report) {
      try {
        for (const chunk of renderTableChunks({ ...report, findings }, options)) out.write(chunk);
      } catch (err) {
        await discardOutput(out);
        throw err;
      }
      await out.close();
    },
  };
}

export function renderTable(report: Report, options: TableOptions): string {
  return renderTableChunks(report, options).join('');
}

/** Lines per chunk written: a scan with 100 k findings renders to a few hundred thousand lines. */
const CHUNK_LINES = 10_000;

/** The table as text chunks of whole lines, each ending in a newline. */
export function renderTableChunks(report: Report, options: TableOptions): string[] {
  const lines = tableLines(report, options);
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += CHUNK_LINES) chunks.push(`${lines.slice(i, i + CHUNK_LINES).join('\n')}\n`);
  return chunks;
}

function tableLines(report: Report, options: TableOptions): string[] {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width) || 100);
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const show = options.arnMask ?? DEFAULT_ARN_MASK;
  const out: string[] = [];

  pushAll(out, wrap(headline(report), width).map((l) => c.dim(l)));
  if (report.run.status === 'partial') pushAll(out, ['', ...incompleteBanner(report, width, c)]);
  out.push('');

  if (report.findings.length > 0) {
    pushAll(out, [c.bold('Summary'), ...summaryTable(report.findings, width, c), '']);
    out.push(c.bold(`Findings by resource`), '');
    // Not push(...lines): spreading a few hundred thousand lines as arguments overflows the call stack.
    pushAll(out, findingsByResource(report.findings, show, width, c));
  }
  if (report.errors.length > 0) pushAll(out, [...scanGaps(report.errors.map((e) => showError(e, show)), width, c), '']);
  pushAll(out, verdict(report, width, c));
  return out;
}

function pushAll(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

// --- Sections -----------------------------------------------------------------------------------------------

function headline(report: Report): string {
  const run = report.run;
  return `${report.tool.name} ${report.tool.version} · dictionary ${run.dictionary.path} · ${scopeText(run.scope)}`;
}

function incompleteBanner(report: Report, width: number, c: ChalkInstance): string[] {
  const n = report.errors.length;
  const text = `INCOMPLETE SCAN: ${n || 'some'} ${n === 1 ? 'part' : 'parts'} of the scope could not be read (see Scan gaps). These results do not cover everything.`;
  return wrap(text, width).map((l) => c.red.bold(l));
}

function summaryTable(findings: readonly Finding[], width: number, c: ChalkInstance): string[] {
  const counts = new Map<string, Record<Severity, number>>();
  for (const f of findings) {
    let row = counts.get(f.ruleId);
    if (!row) counts.set(f.ruleId, (row = { error: 0, warning: 0, note: 0 }));
    row[f.severity] += 1;
  }
  const total = (r: Record<Severity, number>): number => r.error + r.warning + r.note;
  const rows = [...counts.entries()].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]));
  const sums: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const [, r] of rows) for (const s of SEVERITIES) sums[s] += r[s];

  const num = (n: number, s?: Severity): string => (n === 0 ? c.dim('0') : s ? severityColor(c, s)(String(n)) : String(n));
  if (width < 60) {
    // Too narrow for a boxed table: one wrapped line per rule.
    const line = (id: string, r: Record<Severity, number>): string[] =>
      hanging(`${id}: ${severityCounts(r).join(', ')}`, width, INDENT, 2 * INDENT);
    return [...rows.flatMap(([id, r]) => line(sanitize(id), r)), ...line('total', sums).map((l) => c.bold(l))];
  }
  const narrow = width < 72;
  const numberWidth = narrow ? 7 : 9; // the longest header plus padding
  const heads = narrow ? ['err', 'warn', 'note', 'total'] : [...SEVERITIES, 'total'];
  const borders = 6;
  const longest = Math.max(4, ...rows.map(([id]) => displayWidth(sanitize(id))));
  const ruleWidth = Math.max(8, Math.min(longest + 2, width - borders - 4 * numberWidth));
  const table = new Table({
    head: ['rule', ...heads].map((h) => c.bold(h)),
    colWidths: [ruleWidth, numberWidth, numberWidth, numberWidth, numberWidth],
    colAligns: ['left', 'right', 'right', 'right', 'right'],
    // cli-table3's own wrapping is not ANSI-aware: rule ids are pre-wrapped here and numbers never need it.
    wordWrap: false,
    style: { head: [], border: [], compact: true },
  });
  for (const [id, r] of rows) table.push([wrap(sanitize(id), ruleWidth - 2).join('\n'), ...SEVERITIES.map((s) => num(r[s], s)), num(total(r))]);
  table.push([c.bold('total'), ...SEVERITIES.map((s) => num(sums[s], s)), c.bold(String(total(sums)))]);
  return table.toString().split('\n');
}

interface Columns {
  rule: number;
  key: number;
  message: number;
}

function findingsByResource(raw: readonly Finding[], show: ArnMask, width: number, c: ChalkInstance): string[] {
  // Grouped by the raw ARN (two users whose addresses mask alike stay apart), shown with addresses masked.
  const groups = new Map<string, Finding[]>();
  const findings: Finding[] = [];
  for (const r of raw) {
    const f = showFinding(r, show);
    findings.push(f);
    const list = groups.get(r.resource.arn);
    if (list) list.push(f);
    else groups.set(r.resource.arn, [f]);
  }
  const ordered = [...groups.values()].sort((a, b) => compareResources(a[0]!, b[0]!));
  const cols = columnWidths(findings, width);
  const out: string[] = [];
  for (const group of ordered) {
    group.sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        a.ruleId.localeCompare(b.ruleId) ||
        (a.tag?.key ?? '').localeCompare(b.tag?.key ?? ''),
    );
    pushAll(out, resourceHeader(group[0]!, width, c));
    for (const f of group) pushAll(out, cols ? findingRows(f, cols, c) : findingStacked(f, width, c));
    out.push('');
  }
  return out;
}

function compareResources(a: Finding, b: Finding): number {
  const x = a.resource;
  const y = b.resource;
  return (
    x.accountId.localeCompare(y.accountId) ||
    x.region.localeCompare(y.region) ||
    x.resourceType.localeCompare(y.resourceType) ||
    x.arn.localeCompare(y.arn)
  );
}

/** Column widths shared by every row, or undefined when the terminal is too narrow for readable columns. */
function columnWidths(findings: readonly Finding[], width: number): Columns | undefined {
  const fixed = INDENT + SEVERITY_WIDTH + 3 * GAP;
  // Rule ids are short and read badly when broken: their column never shrinks below the longest (up to 24).
  let longestRule = 4;
  let longestKey = 3;
  for (const f of findings) {
    longestRule = Math.max(longestRule, displayWidth(sanitize(f.ruleId)));
    longestKey = Math.max(longestKey, displayWidth(tagKeyText(f)));
  }
  const rule = Math.min(24, longestRule);
  // Namespaced keys (anycompany:finance:cost-center) run to 30 characters: wider terminals show them whole.
  const keyCap = width >= 110 ? 32 : 22;
  const key = Math.max(Math.min(longestKey, 12), Math.min(longestKey, keyCap, width - fixed - rule - 40));
  const message = width - fixed - rule - key;
  return message >= 30 ? { rule, key, message } : undefined;
}

function resourceHeader(f: Finding, width: number, c: ChalkInstance): string[] {
  const r = f.resource;
  const where = sanitize(`${r.accountId || 'no account'} · ${r.region || 'global'}`);
  const parsed = tryParseArn(r.arn);
  // The ARN shortened: type and resource id here, account and region on the right; the full ARN is in JSON/SARIF.
  const type = sanitize(r.resourceType || parsed?.resourceType || 'resource');
  // An Auto Scaling group's id is `<uuid>:autoScalingGroupName/<name>`: its name is what people know it by.
  let name = sanitize(groupNameOf(r.arn) ?? (parsed ? parsed.resourceId || r.arn : r.arn));
  // Ids are kept whole unless absurdly long (S3 object keys): then the start and the distinguishing end survive.
  if (displayWidth(name) > 2 * width) name = elideMiddle(name, 2 * width);
  const left = `${type}  ${name}`;
  const pad = width - displayWidth(left) - displayWidth(where);
  if (pad >= GAP) return [c.bold(type) + '  ' + c.bold.cyan(name) + ' '.repeat(pad) + c.dim(where)];
  return [...wrap(left, width).map((l) => c.bold(l)), c.dim(elideMiddle(where, width))];
}

function findingRows(f: Finding, cols: Columns, c: ChalkInstance): string[] {
  type Line = { text: string; paint: (s: string) => string };
  const plain = (s: string): string => s;
  const lines = (texts: string[], paint: (s: string) => string): Line[] => texts.map((text) => ({ text, paint }));
  const fix = fixPreview(f.fix);
  const cells: [Line[], number][] = [
    [lines([f.severity], severityColor(c, f.severity)), SEVERITY_WIDTH],
    [lines(wrap(sanitize(f.ruleId), cols.rule), plain), cols.rule],
    [lines(wrap(tagKeyText(f), cols.key), f.tag ? (s) => c.bold(s) : (s) => c.dim(s)), cols.key],
    [
      [...lines(wrap(sanitize(f.message), cols.message), plain), ...(fix ? lines(wrap(`fix: ${fix}`, cols.message), (s) => c.green(s)) : [])],
      cols.message,
    ],
  ];
  let height = 0;
  for (const [cell] of cells) height = Math.max(height, cell.length);
  const out: string[] = [];
  for (let i = 0; i < height; i += 1) {
    const parts = cells.map(([cell, w]) => {
      const line = cell[i];
      return line ? line.paint(line.text) + ' '.repeat(w - displayWidth(line.text)) : ' '.repeat(w);
    });
    out.push((' '.repeat(INDENT) + parts.join(' '.repeat(GAP))).trimEnd());
  }
  return out;
}

/** Narrow terminals: one finding per block, every part on its own wrapped line. */
function findingStacked(f: Finding, width: number, c: ChalkInstance): string[] {
  const fix = fixPreview(f.fix);
  return [
    ...hanging(`${f.severity}  ${sanitize(f.ruleId)} · ${tagKeyText(f)}`, width, INDENT, 2 * INDENT).map((l) => severityColor(c, f.severity)(l)),
    ...hanging(sanitize(f.message), width, 2 * INDENT, 2 * INDENT),
    ...(fix ? hanging(`fix: ${fix}`, width, 2 * INDENT, 3 * INDENT).map((l) => c.green(l)) : []),
  ];
}

function scanGaps(errors: readonly ScanError[], width: number, c: ChalkInstance): string[] {
  const out = [c.red.bold(`Scan gaps (${errors.length})`), ''];
  for (const e of errors) {
    const where = [e.accountId, e.region].filter(Boolean).join(' · ');
    const head = [where, e.source, e.code]
      .filter((s): s is string => Boolean(s))
      .map(sanitize)
      .join(' · ');
    out.push(...hanging(`✖ ${head}`, width, INDENT, 2 * INDENT).map((l) => c.red(l)));
    out.push(...hanging(sanitize(e.message), width, 2 * INDENT, 2 * INDENT));
  }
  return out;
}

function verdict(report: Report, width: number, c: ChalkInstance): string[] {
  const s = report.summary;
  const counts = severityCounts(s.bySeverity);
  const text = fixHint(report.findings);
  const hint = text !== undefined ? wrap(text, width).map((l) => c.dim(l)) : [];
  const suppressed = s.suppressed > 0 ? `; ${plural(s.suppressed, 'finding')} suppressed by the dictionary` : '';
  const body = `${counts.length > 0 ? counts.join(', ') : 'No findings'} in ${plural(s.resources, 'resource')} (${scopeText(report.run.scope)})${suppressed}`;
  if (report.run.status === 'partial') {
    const text = `INCOMPLETE: ${body}; ${plural(report.errors.length, 'scan gap')}`;
    return [...hint, ...wrap(text, width).map((l) => c.red.bold.inverse(l))];
  }
  const paint = s.bySeverity.error > 0 ? c.red.bold : s.bySeverity.warning > 0 ? c.yellow.bold : c.green.bold;
  return [...hint, ...wrap(body, width).map((l) => paint(l))];
}

/**
 * What `tagaudit fix` would do with the findings' fixes, as the planner decides it: PII fixes only with --fix-pii, and
 * a parent's value never written over a finished job's own (fix/planner.ts lists those as skipped).
 */
export function fixHint(findings: readonly Finding[]): string | undefined {
  let fixable = 0;
  let pii = 0;
  let finished = 0;
  for (const f of findings) {
    const fix = f.fix ?? [];
    if (fix.length === 0) continue;
    if (fix.some((e) => e.type === 'pii-remove' || e.type === 'pii-redact')) pii += 1;
    else if (fix.length === 1 && fix[0]!.op === 'set' && overwritesWithParentValue(fix[0]!) && saysJobFinished(f.message)) {
      finished += 1;
      continue;
    }
    fixable += 1;
  }
  const parts: string[] = [];
  if (fixable > 0) parts.push(`${plural(fixable, 'finding')} can be fixed with tagaudit fix${pii > 0 ? ` (${pii} of them with --fix-pii)` : ''}`);
  if (finished > 0) {
    const one = finished === 1;
    const overwrite = one ? 'would overwrite a value on a finished job' : 'would overwrite values on finished jobs';
    parts.push(
      fixable > 0
        ? `${finished} ${one ? 'other' : 'others'} ${overwrite} and ${one ? 'is' : 'are'} left out`
        : `${one ? "1 finding's fix" : `${finished} findings' fixes`} ${overwrite}: tagaudit fix leaves ${one ? 'it' : 'them'} out`,
    );
  }
  return parts.length > 0 ? `${parts.join('; ')}.` : undefined;
}

// --- Text pieces --------------------------------------------------------------------------------------------

function severityColor(c: ChalkInstance, s: Severity): (text: string) => string {
  return s === 'error' ? c.red.bold : s === 'warning' ? c.yellow : c.blue;
}

function tagKeyText(f: Finding): string {
  return f.tag ? sanitize(f.tag.key) || '""' : '—';
}

export function scopeText(scope: ScanScope): string {
  if (scope.mode === 'inventory') {
    const files = scope.inventories ?? [];
    return files.length === 1 ? `inventory ${files[0]}` : `${plural(files.length, 'inventory file')}`;
  }
  const accounts = scope.accounts?.length ? plural(scope.accounts.length, 'account') : 'default account';
  // An empty list: no region was scanned (an IAM-only scan, or every account failed before its regions).
  const regions = scope.regions?.length ? plural(scope.regions.length, 'region') : scope.regions ? 'no region' : 'default region';
  return `${accounts} × ${regions}`;
}

/** `Env → Environment`, `+ CostCenter: 1234`, `Owner: alice → bob`, `− Email`. */
export function fixPreview(fix: readonly TagEdit[] | undefined): string {
  if (!fix || fix.length === 0) return '';
  const optIn = fix.some((e) => e.type === 'pii-remove' || e.type === 'pii-redact') ? ' (PII fix: opt-in)' : '';
  // Keys and values in edits come from AWS like any tag text.
  return sanitize(fix.map(editPreview).join(', ')) + optIn;
}

function editPreview(e: TagEdit): string {
  const v = (s: string): string => (s === '' || /\s/.test(s) ? JSON.stringify(s) : s);
  switch (e.op) {
    case 'add':
      return `+ ${v(e.key)}: ${v(e.value)}`;
    case 'set':
      return `${v(e.key)}: ${v(e.expected)} → ${v(e.value)}`;
    case 'rename':
      return e.value === e.expected ? `${v(e.from)} → ${v(e.to)}` : `${v(e.from)}: ${v(e.expected)} → ${v(e.to)}: ${v(e.value)}`;
    case 'remove':
      return `− ${v(e.key)}`;
  }
}

function severityCounts(counts: Readonly<Record<Severity, number>>): string[] {
  return SEVERITIES.filter((sev) => counts[sev] > 0).map((sev) => plural(counts[sev], sev));
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Columns a string occupies in a terminal (wide East Asian characters and emoji count 2, combining marks 0). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Greedy word wrap to `width` columns; a word longer than a line is broken, starting on the current line. */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    let rest = word;
    let restWidth = displayWidth(rest);
    if (lineWidth > 0 && lineWidth + 1 + restWidth <= w) {
      line += ` ${rest}`;
      lineWidth += 1 + restWidth;
      continue;
    }
    const [head, tail] = lineWidth > 0 && restWidth > w && w - lineWidth - 1 >= 8 ? splitAtWidth(rest, w - lineWidth - 1, true) : ['', rest];
    if (head !== '') {
      lines.push(`${line} ${head}`);
      rest = tail;
      restWidth = displayWidth(rest);
    } else if (lineWidth > 0) {
      lines.push(line);
    }
    while (restWidth > w) {
      const [head, tail] = splitAtWidth(rest, w);
      lines.push(head);
      rest = tail;
      restWidth = displayWidth(rest);
    }
    line = rest;
    lineWidth = restWidth;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** Wraps with a first-line indent and a (usually deeper) indent for continuation lines. */
function hanging(text: string, width: number, first: number, rest: number): string[] {
  // One wrap at the narrower measure: re-wrapping the tail separately could split a broken word differently.
  return wrap(text, width - Math.max(first, rest)).map((line, i) => ' '.repeat(i === 0 ? first : rest) + line);
}

/** `atBreak`: only split after a separator (else return ['', text]), to finish a line that already holds words. */
function splitAtWidth(text: string, width: number, atBreak = false): [string, string] {
  let w = 0;
  let i = 0;
  for (const ch of text) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width && i > 0) break;
    w += cw;
    i += ch.length;
  }
  if (i >= text.length) return [text, ''];
  const cut = breakPoint(text, i, atBreak);
  if (cut > 0) return [text.slice(0, cut), text.slice(cut)];
  return atBreak ? ['', text] : [text.slice(0, i), text.slice(i)];
}

/** Where ARNs, paths and namespaced keys split best: "anycompany:finance:" / "cost-center". */
const MAJOR_BREAK = new Set([':', '/', ',', ';']);
/** Inside a segment: "acme:data-" / "classification", "train_" / "job", "v1." / "2". */
const MINOR_BREAK = new Set(['-', '_', '.']);

/**
 * Where to split `text` so the head fits in `end` characters: after a separator whenever one is in the column, so a
 * key or ARN copied off the screen is never cut mid-word ("acme:data-classificati" / "on" reads as two other
 * words). A major separator is preferred while it leaves at least half a line, then any separator that does, then
 * any separator at all; 0 when there is none (the caller breaks at the width). With `atBreak` (finishing a line that
 * already holds words) a major separator anywhere wins over a minor one.
 */
function breakPoint(text: string, end: number, atBreak: boolean): number {
  let major = 0;
  let any = 0;
  for (let j = end; j > 0 && (major === 0 || any === 0); j--) {
    const ch = text[j - 1]!;
    if (major === 0 && MAJOR_BREAK.has(ch)) major = j;
    if (any === 0 && (MAJOR_BREAK.has(ch) || MINOR_BREAK.has(ch))) any = j;
  }
  if (atBreak) return major || any;
  if (major > end / 2) return major;
  if (any > end / 2) return any;
  // A break after the first character ("/" or "-" alone on a line) helps nobody.
  return any >= 2 ? any : 0;
}

/** Shortens to `width` columns by replacing the middle with '…'. */
export function elideMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const keep = Math.max(1, width - 1);
  const headWidth = Math.ceil(keep / 2);
  const [head] = splitAtWidth(text, headWidth);
  const chars = [...text];
  let tail = '';
  let tw = 0;
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    const cw = charWidth(chars[i]!.codePointAt(0) ?? 0);
    if (tw + cw > keep - displayWidth(head)) break;
    tail = chars[i]! + tail;
    tw += cw;
  }
  return `${head}…${tail}`;
}
