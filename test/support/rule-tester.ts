import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Policy } from '../../src/dictionary/policy.js';
import type { Resource } from '../../src/inventory/resource.js';
import { createAuditor } from '../../src/rules/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Finding, Rule, Severity, TagEdit } from '../../src/rules/types.js';

/** A resource for a test case: only `tags` is required; the rest defaults to a SageMaker training job. */
export interface ResourceSpec {
  readonly name?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly resourceType?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly state?: string;
  readonly parentArns?: readonly string[];
  /** Other resources `lookup` can find (parents, for inherited-tag-drift). */
  readonly others?: readonly Resource[];
}

export interface ExpectedFinding {
  /** Substring(s) the message must contain. */
  readonly messageIncludes?: string | readonly string[];
  readonly tag?: { readonly key: string; readonly value?: string };
  readonly severity?: Severity;
  /** Whether the finding must (true) or must not (false) carry a fix. */
  readonly fixable?: boolean;
  /** Entries `finding.data` must contain (deep equality per entry). */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface InvalidCase extends ResourceSpec {
  /** Exactly these findings of the rule under test, in order. */
  readonly findings: readonly ExpectedFinding[];
  /** The tags after applying every proposed edit of the rule's findings. */
  readonly fixed?: Readonly<Record<string, string>>;
}

export interface RuleTesterConfig {
  readonly policy: Policy;
  readonly valid: readonly ResourceSpec[];
  readonly invalid: readonly InvalidCase[];
  /**
   * Run the rule alone. By default it runs beside the whole registry (findings of other rules are ignored), so
   * which rule carries a shared edit is decided as in a real scan.
   */
  readonly alone?: boolean;
}

let serial = 0;

/** Builds a Resource from a spec (ARN, service and account derived from the type unless given). */
export function makeResource(spec: ResourceSpec): Resource {
  const resourceType = spec.resourceType ?? 'sagemaker:training-job';
  const [service = 'sagemaker', type = 'resource'] = resourceType.split(':');
  const accountId = spec.accountId ?? '444455556666';
  const region = spec.region ?? 'us-east-1';
  const arn = spec.arn ?? `arn:aws:${service}:${region}:${accountId}:${type}/test-${++serial}`;
  return {
    arn,
    accountId,
    region,
    service,
    resourceType,
    tags: spec.tags,
    source: 'inventory',
    ...(spec.state !== undefined ? { state: spec.state } : {}),
    ...(spec.parentArns !== undefined ? { parentArns: spec.parentArns } : {}),
  };
}

/** Audits one spec with the given rules and returns the findings of `ruleId` (all when undefined). */
export function auditSpec(policy: Policy, spec: ResourceSpec, rules: readonly Rule[] = ALL_RULES, ruleId?: string): Finding[] {
  const auditor = createAuditor(policy, { rules });
  const others = new Map((spec.others ?? []).map((r) => [r.arn, r]));
  const findings = auditor.audit(makeResource(spec), (arn) => others.get(arn));
  return ruleId === undefined ? findings : findings.filter((f) => f.ruleId === ruleId);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Applies edits the way the planner and applier would: every edit must find what it expects, and two edits on one
 * key are a conflict (the planner would drop both), so the tester fails on either.
 */
export function applyEdits(tags: Readonly<Record<string, string>>, edits: readonly TagEdit[]): Record<string, string> {
  const out: Record<string, string> = { ...tags };
  const touched = new Set<string>();
  const touch = (key: string): void => {
    if (touched.has(key)) throw new Error(`two edits touch tag ${JSON.stringify(key)}`);
    touched.add(key);
  };
  const byDigest = (digest: { keySha256: string; valueSha256: string }): string => {
    const key = Object.keys(out).find((k) => sha256(k) === digest.keySha256 && sha256(out[k] as string) === digest.valueSha256);
    if (key === undefined) throw new Error('no tag matches the edit digest');
    return key;
  };
  for (const edit of edits) {
    switch (edit.op) {
      case 'add':
        touch(edit.key);
        if (edit.key in out) throw new Error(`add: tag ${JSON.stringify(edit.key)} already exists`);
        out[edit.key] = edit.value;
        break;
      case 'set': {
        const key = edit.digest ? byDigest(edit.digest) : edit.key;
        touch(key);
        if (!edit.digest && out[key] !== edit.expected) throw new Error(`set: tag ${JSON.stringify(key)} is not ${JSON.stringify(edit.expected)}`);
        out[key] = edit.value;
        break;
      }
      case 'rename':
        touch(edit.from);
        touch(edit.to);
        if (out[edit.from] !== edit.expected) throw new Error(`rename: tag ${JSON.stringify(edit.from)} is not ${JSON.stringify(edit.expected)}`);
        if (edit.to in out) throw new Error(`rename: tag ${JSON.stringify(edit.to)} already exists`);
        delete out[edit.from];
        out[edit.to] = edit.value;
        break;
      case 'remove': {
        const key = edit.digest ? byDigest(edit.digest) : edit.key;
        touch(key);
        if (!edit.digest && out[key] !== edit.expected) throw new Error(`remove: tag ${JSON.stringify(key)} is not ${JSON.stringify(edit.expected)}`);
        delete out[key];
        break;
      }
    }
  }
  return out;
}

function checkFinding(actual: Finding, expected: ExpectedFinding, ruleId: string): void {
  expect(actual.ruleId).toBe(ruleId);
  expect(actual.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  expect(actual.message).not.toContain('failed to evaluate');
  const includes = expected.messageIncludes === undefined ? [] : typeof expected.messageIncludes === 'string' ? [expected.messageIncludes] : expected.messageIncludes;
  for (const text of includes) expect(actual.message).toContain(text);
  if (expected.tag) expect(actual.tag).toEqual(expected.tag);
  if (expected.severity) expect(actual.severity).toBe(expected.severity);
  if (expected.fixable !== undefined) expect(Boolean(actual.fix && actual.fix.length > 0)).toBe(expected.fixable);
  if (expected.data) for (const [k, v] of Object.entries(expected.data)) expect(actual.data?.[k]).toEqual(v);
}

/** A tiny ESLint-style rule tester on vitest: valid cases produce no finding, invalid ones exactly the expected. */
export function ruleTester(rule: Rule, config: RuleTesterConfig): void {
  const id = rule.meta.id;
  const rules = config.alone ? [rule] : [...ALL_RULES.filter((r) => r.meta.id !== id), rule];
  describe(`${id} (rule tester)`, () => {
    config.valid.forEach((spec, n) => {
      it(`valid #${n + 1}${spec.name ? `: ${spec.name}` : ''}`, () => {
        expect(auditSpec(config.policy, spec, rules, id)).toEqual([]);
      });
    });
    config.invalid.forEach((spec, n) => {
      it(`invalid #${n + 1}${spec.name ? `: ${spec.name}` : ''}`, () => {
        const findings = auditSpec(config.policy, spec, rules, id);
        expect(findings.map((f) => f.message)).toHaveLength(spec.findings.length);
        findings.forEach((f, i) => checkFinding(f, spec.findings[i] as ExpectedFinding, id));
        if (spec.fixed) {
          const edits = findings.flatMap((f) => f.fix ?? []);
          expect(applyEdits(spec.tags, edits)).toEqual(spec.fixed);
        }
        if (!rule.meta.fixable) expect(findings.every((f) => f.fix === undefined)).toBe(true);
      });
    });
  });
}
