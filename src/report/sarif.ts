import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { canonicalArn } from '../audit/parent-key.js';
import { UsageError } from '../errors.js';
import { tryParseArn } from '../inventory/arn.js';
import type { ResourceRef } from '../inventory/resource.js';
import { SEVERITY_RANK, type Finding, type RuleMeta, type Severity } from '../rules/types.js';
import { DEFAULT_ARN_MASK, showError, showFinding, type ArnMask } from './arn-display.js';
import { discardOutput, type ChunkWriter, type ReportSink } from './sink.js';
import type { Report, ScanError, ScanScope } from './types.js';

/*
 * SARIF 2.1.0 for GitHub code scanning (see docs/output-formats.md). Findings are about AWS resources, not
 * files, so each result points at a synthetic repo-relative path (aws/<account>/<region>/<service>/<type>/<id>)
 * and carries the ARN as a logical location: an ARN in `uri` parses as scheme "arn:" and GitHub rejects the
 * whole upload.
 */

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** GitHub code scanning limits per run / per file. */
export const SARIF_MAX_RESULTS = 25_000;
export const SARIF_MAX_RULES = 25_000;
export const SARIF_MAX_GZIP_BYTES = 10 * 1024 * 1024;
/** Versioned key under partialFingerprints; bump only if the fingerprint recipe changes (it re-opens every alert). */
export const FINGERPRINT_KEY = 'tagaudit/v1';

const MAX_DESCRIPTION = 1024;

export interface SarifOptions {
  /** Shown as tool.driver.informationUri (the project's home page); omitted when unknown. */
  readonly informationUri?: string;
  /**
   * Overrides the category derived from the scan scope (automationDetails.id = `tagaudit/<category>/`). Use a
   * fixed one for scopes whose account list changes over time, e.g. a whole organization.
   */
  readonly category?: string;
  /** Only findings at or above this severity go into the SARIF (default: all). */
  readonly minSeverity?: Severity;
  /**
   * Masks e-mail addresses in ARNs (arnMasker(policy.pii); default: the default PII settings). GitHub shows the
   * artifact path, the logical location and the message to every reader of the repository.
   */
  readonly arnMask?: ArnMask;
}

/** Too many results for one SARIF run. Exits 2 like other errors the user fixes by changing the invocation. */
export class SarifLimitError extends UsageError {}

// --- The subset of SARIF 2.1.0 we emit ---------------------------------------------------------------------

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}
export interface SarifRun {
  tool: { driver: SarifDriver };
  automationDetails: { id: string };
  invocations: SarifInvocation[];
  results: SarifResult[];
  properties: Record<string, unknown>;
}
export interface SarifDriver {
  name: 'tagaudit';
  version: string;
  semanticVersion: string;
  informationUri?: string;
  rules: SarifRule[];
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: Severity };
  properties: { tags: string[]; precision: 'very-high' | 'high'; 'security-severity'?: string };
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Severity;
  message: { text: string };
  locations: [
    {
      physicalLocation: { artifactLocation: { uri: string }; region: { startLine: 1; startColumn: 1 } };
      logicalLocations: [{ name: string; fullyQualifiedName: string; kind: 'resource' }];
    },
  ];
  partialFingerprints: Record<string, string>;
  properties: { accountId: string; region: string; resourceType: string; tagKey?: string };
}
export interface SarifInvocation {
  executionSuccessful: boolean;
  startTimeUtc: string;
  endTimeUtc: string;
  toolExecutionNotifications: SarifNotification[];
}
interface SarifNotification {
  level: 'error';
  message: { text: string };
  descriptor?: { id: string };
  properties: Record<string, string>;
}

// --- Rendering ----------------------------------------------------------------------------------------------

/**
 * The SARIF log for a report. A partial run still renders (executionSuccessful: false, one notification per
 * scan gap) but must not be uploaded: the CLI exits 3 and the documented workflow uploads only on 0 or 1.
 */
export function renderSarif(report: Report, options: SarifOptions = {}): SarifLog {
  const floor = SEVERITY_RANK[options.minSeverity ?? 'note'];
  const show = options.arnMask ?? DEFAULT_ARN_MASK;
  const findings = report.findings.filter((f) => SEVERITY_RANK[f.severity] >= floor);
  assertResultLimit(findings.length, options);

  const rules = report.rules.map(ruleDescriptor);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = findings.map((f) => {
    let index = ruleIndex.get(f.ruleId);
    if (index === undefined) {
      // A finding from a rule the report did not describe (e.g. an engine-made "rule failed" finding): describe
      // it minimally rather than emit a ruleIndex GitHub cannot resolve.
      index = rules.push(unknownRuleDescriptor(f.ruleId)) - 1;
      ruleIndex.set(f.ruleId, index);
    }
    // The path, logical location and message come from the masked ARN; partialFingerprints from the raw one.
    return sarifResult(showFinding(f, show), index);
  });
  if (rules.length > SARIF_MAX_RULES) {
    throw new SarifLimitError(`SARIF allows at most ${SARIF_MAX_RULES} rules per run; this report describes ${rules.length}`);
  }

  const run = report.run;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tagaudit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.informationUri && isAbsoluteUrl(options.informationUri) ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        automationDetails: { id: `tagaudit/${options.category ?? sarifCategory(run.scope)}/` },
        invocations: [
          {
            executionSuccessful: run.status === 'complete',
            startTimeUtc: run.startedAt,
            endTimeUtc: run.finishedAt,
            toolExecutionNotifications: report.errors.map((e) => notification(showError(e, show))),
          },
        ],
        results,
        properties: {
          'tagaudit/status': run.status,
          'tagaudit/dictionary': { path: run.dictionary.path, sha256: run.dictionary.sha256 },
          'tagaudit/summary': report.summary,
        },
      },
    ],
  };
}

/** Buffers findings (at most the 25,000 a run may hold; beyond that it only counts) and writes the log at finish(). */
export function createSarifSink(out: ChunkWriter, options: SarifOptions = {}): ReportSink {
  const floor = SEVERITY_RANK[options.minSeverity ?? 'note'];
  const kept: Finding[] = [];
  let count = 0;
  return {
    add(finding) {
      if (SEVERITY_RANK[finding.severity] < floor) return;
      count += 1;
      if (count <= SARIF_MAX_RESULTS) kept.push(finding);
    },
    async finish(report) {
      try {
        assertResultLimit(count, options);
        const text = `${JSON.stringify(renderSarif({ ...report, findings: kept }, options))}\n`;
        assertSarifSize(text);
        out.write(text);
      } catch (err) {
        // A SARIF that GitHub would reject is not written: the previous file, if any, stays.
        await discardOutput(out);
        throw err;
      }
      await out.close();
    },
  };
}

/**
 * The category part of automationDetails.id. One category per scope: an upload replaces the previous one in the
 * same category and closes the alerts missing from it, so two different scopes must never share a category.
 */
export function sarifCategory(scope: ScanScope): string {
  if (scope.mode === 'inventory') return 'inventory';
  return `live/${listPart(scope.accounts, 'accounts')}/${listPart(scope.regions, 'regions')}`;
}

function listPart(items: readonly string[] | undefined, noun: string): string {
  if (!items) return `default-${noun}`;
  if (items.length === 0) return `no-${noun}`;
  const sorted = [...new Set(items)].sort();
  const joined = sorted.join('+');
  if (joined.length <= 60 && /^[A-Za-z0-9+-]+$/.test(joined)) return joined;
  const digest = createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 10);
  return `${sorted.length}-${noun}-${digest}`;
}

/**
 * The synthetic, scheme-less path a result points at: aws/<account>/<region>/<service>/<type>/<id>, each
 * segment percent-encoded (so no ':' anywhere). Stable for a resource, so GitHub keeps matching its alerts: the
 * region comes from the ARN only (`global` without one), because an S3 bucket's region is looked up by the scan and
 * one night whose lookup failed must not move every alert of the bucket; and the path is the canonical ARN's (a
 * SageMaker id lower-cased, see canonicalArn), because SageMaker lists one resource under either case.
 */
export function sarifUri(resource: ResourceRef): string {
  const arn = canonicalArn(resource.arn);
  const parsed = tryParseArn(arn);
  const colon = resource.resourceType.indexOf(':');
  const type = colon >= 0 ? resource.resourceType.slice(colon + 1) : resource.resourceType;
  const id = parsed ? parsed.resourceId : arn;
  return [
    'aws',
    parsed?.accountId || resource.accountId || 'unknown-account',
    (parsed ? parsed.region : resource.region) || 'global',
    resource.service || parsed?.service || 'unknown-service',
    type || 'unknown-type',
    id || '_',
  ]
    .map(pathSegment)
    .join('/');
}

function pathSegment(raw: string): string {
  const encoded = encodeURIComponent(raw);
  // '.' and '..' would be resolved away as relative path steps.
  return /^\.+$/.test(encoded) ? encoded.replace(/\./g, '%2E') : encoded;
}

function sarifResult(f: Finding, ruleIndex: number): SarifResult {
  if (!f.fingerprint) throw new Error(`internal error: finding ${f.ruleId} on ${f.resource.arn} has no fingerprint`);
  const r = f.resource;
  const parsed = tryParseArn(r.arn);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text: f.message || `${f.ruleId} on ${r.arn}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: sarifUri(r) }, region: { startLine: 1, startColumn: 1 } },
        logicalLocations: [{ name: parsed?.resourceId || r.arn, fullyQualifiedName: r.arn, kind: 'resource' }],
      },
    ],
    partialFingerprints: { primaryLocationLineHash: f.fingerprint, [FINGERPRINT_KEY]: f.fingerprint },
    properties: {
      accountId: r.accountId,
      region: r.region,
      resourceType: r.resourceType,
      ...(f.tag ? { tagKey: f.tag.key } : {}),
    },
  };
}

// --- Rule metadata ------------------------------------------------------------------------------------------

// GitHub treats rules tagged 'security' with a numeric security-severity as security alerts. Only PII rules
// qualify: a tag value is readable by anyone with tag:GetResources and lands in billing exports.
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { error: '8.0', warning: '5.5', note: '2.0' };

function isPrivacyRule(id: string): boolean {
  return id === 'pii' || id.startsWith('pii-');
}

function ruleDescriptor(meta: RuleMeta): SarifRule {
  const privacy = isPrivacyRule(meta.id);
  const short = nonEmpty(meta.description, `Rule ${meta.id}`);
  const full = nonEmpty(meta.rationale, short);
  const docs = isAbsoluteUrl(meta.docsUrl) ? meta.docsUrl : undefined;
  const fixNote = meta.fixable
    ? privacy
      ? 'tagaudit fix can remove or redact it, only when you opt in to PII fixes.'
      : 'tagaudit fix can correct it.'
    : 'Fix it by hand.';
  // The alert's level is not always the rule's default (empty-tag-value is an error on a mandatory key): the help
  // GitHub shows under the alert says what decides it, as `tagaudit rules` and the docs' severity cell do.
  const note = meta.severityNote?.trim();
  const severityText = note ? `\n\nSeverity: ${meta.defaultSeverity}; ${note}.` : '';
  const severityMarkdown = note ? `\n\n**Severity:** ${meta.defaultSeverity}; ${note}.` : '';
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: clip(short) },
    fullDescription: { text: clip(full) },
    help: {
      text: `${full}${severityText}\n\n${fixNote}${docs ? `\n\nDocumentation: ${docs}` : ''}`,
      markdown: `**${short}**\n\n${full}${severityMarkdown}\n\n${fixNote}${docs ? `\n\n[Documentation](${docs})` : ''}`,
    },
    ...(docs ? { helpUri: docs } : {}),
    defaultConfiguration: { level: meta.defaultSeverity },
    properties: {
      tags: privacy ? ['tagging', 'security', 'privacy'] : ['tagging'],
      precision: privacy ? 'high' : 'very-high',
      ...(privacy ? { 'security-severity': SECURITY_SEVERITY[meta.defaultSeverity] } : {}),
    },
  };
}

function unknownRuleDescriptor(id: string): SarifRule {
  return ruleDescriptor({
    id,
    description: `Finding reported under ${id}`,
    defaultSeverity: 'error',
    fixable: false,
    docsUrl: '',
    rationale: `tagaudit reported findings under ${id}, which the report's rule list does not describe.`,
  });
}

function notification(e: ScanError): SarifNotification {
  const where = [e.accountId, e.region].filter(Boolean).join('/');
  return {
    level: 'error',
    message: { text: `scan gap${where ? ` in ${where}` : ''} (${e.source}): ${e.message || 'unknown error'}` },
    ...(e.code ? { descriptor: { id: e.code } } : {}),
    properties: {
      source: e.source,
      ...(e.accountId ? { accountId: e.accountId } : {}),
      ...(e.region ? { region: e.region } : {}),
    },
  };
}

// --- Limits -------------------------------------------------------------------------------------------------

function assertResultLimit(count: number, options: SarifOptions): void {
  if (count <= SARIF_MAX_RESULTS) return;
  const floor = options.minSeverity ?? 'note';
  throw new SarifLimitError(
    `SARIF output would hold ${count} results; GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} per run ` +
      `and tagaudit does not truncate. Split the scan by account or region (one SARIF file and category per scope), ` +
      (floor === 'error' ? 'or fix the bulk of the findings first (tagaudit fix).' : `or keep only more severe findings in the SARIF with --sarif-min-severity ${floor === 'note' ? 'warning or error' : 'error'} (now: ${floor}).`),
  );
}

/** GitHub rejects files over 10 MB gzipped. Only compresses when the raw text could exceed that. */
export function assertSarifSize(text: string): void {
  // Characters are not bytes: text beyond ASCII takes up to 3 bytes a character.
  if (Buffer.byteLength(text, 'utf8') <= SARIF_MAX_GZIP_BYTES) return;
  const size = gzipSync(text).length;
  if (size > SARIF_MAX_GZIP_BYTES) {
    throw new SarifLimitError(
      `SARIF output is ${(size / 1048576).toFixed(1)} MB gzipped; GitHub code scanning accepts at most 10 MB. ` +
        `Split the scan by account or region (one SARIF file and category per scope).`,
    );
  }
}

// --- Small text helpers -------------------------------------------------------------------------------------

function nonEmpty(text: string, fallback: string): string {
  return text.trim() ? text.trim() : fallback;
}

function clip(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function isAbsoluteUrl(text: string): boolean {
  return /^https?:\/\//.test(text) && URL.canParse(text);
}
