import { mayHoldArnPii } from '../pii/arn-mask.js';
import type { ResourceRef } from '../inventory/resource.js';
import type { Finding, RuleMeta } from '../rules/types.js';
import { DEFAULT_ARN_MASK, type ArnMask } from './arn-display.js';
import { discardOutput, type ChunkWriter, type ReportSink } from './sink.js';
import type { Report, RunInfo, ScanError } from './types.js';

/*
 * The JSON report (schema/report.schema.json). Findings come first, one per line, as they arrive; everything
 * known only at the end (summary, run times, errors) follows the array. Key order does not matter to JSON
 * readers, and this way a 1 M-resource scan never holds its findings in memory.
 *
 *   {"schemaVersion":1,"findings":[
 *   {...},
 *   {...}
 *   ],"tool":{...},"run":{...},"summary":{...},"errors":[...],"rules":[...]}
 */

const HEAD = '{"schemaVersion":1,"findings":[';
/** What precedes every finding but the first in the array. */
export const FINDING_SEPARATOR = ',\n';
const SEPARATOR_BYTES = FINDING_SEPARATOR.length;

/**
 * Streams the report to `out`: each finding is written as it is added. finish() writes the tail and closes `out`.
 * `arnMask` masks e-mail addresses in ARNs (arnMasker(policy.pii)); pre-encoded findings (addEncoded) must have been
 * serialized by findingJson with the same mask.
 */
export function createJsonSink(out: ChunkWriter, arnMask: ArnMask = DEFAULT_ARN_MASK): ReportSink {
  let count = 0;
  return {
    add(finding) {
      out.write((count === 0 ? `${HEAD}\n` : FINDING_SEPARATOR) + findingJson(finding, arnMask));
      count += 1;
    },
    addEncoded(bytes, findings) {
      if (findings === 0) return;
      let body = bytes;
      if (count === 0) {
        out.write(`${HEAD}\n`);
        body = bytes.subarray(SEPARATOR_BYTES);
      }
      if (out.writeBytes) out.writeBytes(body);
      else out.write(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
      count += findings;
    },
    async finish(report) {
      // report.findings is empty here by contract: every finding already went through add().
      try {
        out.write((count === 0 ? HEAD : '\n') + tailJson(report, arnMask));
      } catch (err) {
        await discardOutput(out);
        throw err;
      }
      await out.close();
    },
  };
}

/** The whole report as one string, byte-identical to what the streaming sink writes for the same findings. */
export function renderJson(report: Report, arnMask: ArnMask = DEFAULT_ARN_MASK): string {
  if (report.findings.length === 0) return HEAD + tailJson(report, arnMask);
  return `${HEAD}\n${report.findings.map((f) => findingJson(f, arnMask)).join(',\n')}\n${tailJson(report, arnMask)}`;
}

// Rule ids, severities, accounts, regions, types, tag keys and most messages repeat across findings: their JSON
// form is cached (bounded) instead of re-escaped each time. ARNs, fingerprints and values are mostly unique.
const QUOTE_CACHE_MAX = 10_000;
const quoted = new Map<string, string>();

function quote(text: string): string {
  let json = quoted.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quoted.size < QUOTE_CACHE_MAX && text.length <= 200) quoted.set(text, json);
  }
  return json;
}

// Findings of one resource arrive together: reuse the last resource's JSON instead of re-serializing it.
let lastResource: ResourceRef | undefined;
let lastMask: ArnMask | undefined;
let lastResourceJson = '';

function resourceJson(r: ResourceRef, arnMask: ArnMask): string {
  const last = lastResource;
  // Compared field by field, not by identity, so a caller reusing one mutable object still gets correct output.
  if (
    last !== undefined &&
    lastMask === arnMask &&
    last.arn === r.arn &&
    last.accountId === r.accountId &&
    last.region === r.region &&
    last.service === r.service &&
    last.resourceType === r.resourceType
  ) {
    return lastResourceJson;
  }
  lastResource = { arn: r.arn, accountId: r.accountId, region: r.region, service: r.service, resourceType: r.resourceType };
  lastMask = arnMask;
  lastResourceJson =
    '{"arn":' +
    JSON.stringify(shown(r.arn, arnMask)) +
    ',"accountId":' +
    quote(r.accountId) +
    ',"region":' +
    quote(r.region) +
    ',"service":' +
    quote(r.service) +
    ',"resourceType":' +
    quote(r.resourceType) +
    '}';
  return lastResourceJson;
}

/**
 * Reports travel far (CI artifacts, tickets): they never carry the SHA-256 digests that identify PII-bearing tags
 * for the fixer, since a digest of a short value such as a phone number can be reversed by trying candidates.
 */
function withoutDigest(key: string, value: unknown): unknown {
  return key === 'digest' ? undefined : value;
}

/**
 * One finding in the documented key order. Hot path: string building, no intermediate objects for the fixed part.
 * E-mail addresses and '+' phone numbers in the ARNs it quotes (its resource's, once per resource; a parent's in the
 * message and data) are masked by `arnMask`: a text without '@' or '+' costs two scans. The tag and the edits are tag and dictionary text,
 * which the rules engine already masked under the same settings. The fingerprint is the engine's, from the raw ARN.
 * The worker threads serialize with this function too, so both paths write the same bytes.
 */
export function findingJson(f: Finding, arnMask: ArnMask = DEFAULT_ARN_MASK): string {
  let s =
    '{"fingerprint":' +
    JSON.stringify(f.fingerprint) +
    ',"ruleId":' +
    quote(f.ruleId) +
    ',"severity":' +
    quote(f.severity) +
    ',"message":' +
    quote(shown(f.message, arnMask)) +
    ',"resource":' +
    resourceJson(f.resource, arnMask);
  if (f.tag) {
    s += ',"tag":{"key":' + quote(f.tag.key);
    if (f.tag.value !== undefined) s += ',"value":' + JSON.stringify(f.tag.value);
    s += '}';
  }
  if (f.fix && f.fix.length > 0) s += ',"fix":' + JSON.stringify(f.fix, withoutDigest);
  // Masked as JSON text (a parentArn): an ARN ends at the closing quote, and a mask needs no escaping.
  if (f.data && Object.keys(f.data).length > 0) s += ',"data":' + shown(JSON.stringify(f.data), arnMask);
  return s + '}';
}

/** Text with the addresses and numbers in its ARNs masked; the '@'/'+' test first, so the usual text costs no mask call. */
function shown(text: string, arnMask: ArnMask): string {
  return mayHoldArnPii(text) ? arnMask(text) : text;
}

function tailJson(report: Report, arnMask: ArnMask): string {
  const tail = {
    tool: { name: report.tool.name, version: report.tool.version },
    run: runJson(report.run),
    summary: {
      resources: report.summary.resources,
      findings: report.summary.findings,
      bySeverity: { error: report.summary.bySeverity.error, warning: report.summary.bySeverity.warning, note: report.summary.bySeverity.note },
      byRule: report.summary.byRule,
      suppressed: report.summary.suppressed,
    },
    errors: report.errors.map((e) => errorJson(e, arnMask)),
    rules: report.rules.map(ruleJson),
  };
  // Splice the tail's members after the findings array: drop the tail object's own opening brace.
  return `],${JSON.stringify(tail).slice(1)}\n`;
}

function runJson(run: RunInfo): RunInfo {
  const s = run.scope;
  return {
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    dictionary: { path: run.dictionary.path, sha256: run.dictionary.sha256 },
    scope: {
      mode: s.mode,
      ...(s.inventories ? { inventories: [...s.inventories] } : {}),
      ...(s.accounts ? { accounts: [...s.accounts] } : {}),
      ...(s.regions ? { regions: [...s.regions] } : {}),
    },
  };
}

// Explicit picks: a field added to a shared type later does not leak into the published format unannounced.
function errorJson(e: ScanError, arnMask: ArnMask): ScanError {
  return {
    ...(e.accountId !== undefined ? { accountId: e.accountId } : {}),
    ...(e.region !== undefined ? { region: e.region } : {}),
    source: e.source,
    message: arnMask(e.message),
    ...(e.code !== undefined ? { code: e.code } : {}),
  };
}

function ruleJson(r: RuleMeta): RuleMeta {
  return {
    id: r.id,
    description: r.description,
    defaultSeverity: r.defaultSeverity,
    ...(r.severityNote !== undefined ? { severityNote: r.severityNote } : {}),
    fixable: r.fixable,
    docsUrl: r.docsUrl,
    rationale: r.rationale,
  };
}
