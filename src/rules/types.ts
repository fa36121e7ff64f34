import type { Resource, ResourceRef } from '../inventory/resource.js';
import type { Policy } from '../dictionary/policy.js';

export type Severity = 'error' | 'warning' | 'note';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, note: 1 };

/**
 * What kind of correction an edit makes; `fix --fix-type` filters on it.
 * pii-* edits are only applied when the user opts in with `--fix-pii`.
 */
export type FixType =
  | 'rename-key' // miscased or deprecated key → canonical key
  | 'normalize-value' // miscased or aliased value → canonical value
  | 'add-default' // missing mandatory key ← dictionary / per-account default
  | 'inherit' // missing / drifted cost-allocation key ← parent's value
  | 'pii-remove'
  | 'pii-redact';

/** The fix types that change a tag's value (what a rename may carry besides the key move). */
export type ValueFixType = Extract<FixType, 'normalize-value' | 'add-default' | 'inherit'>;

/**
 * Identifies a PII-bearing tag without holding its raw text: hex sha256 of the raw key and of the raw value.
 * When present on an edit, `key` / `expected` are masked display strings and the applier finds the real tag by
 * hashing the resource's current tags (so no plan, journal line or report ever holds the raw PII).
 */
export interface TagDigest {
  readonly keySha256: string;
  readonly valueSha256: string;
}

/**
 * A proposed change to one tag of one resource. Every edit states what it expects to find, so an applier can
 * refuse to write over a resource that changed since the scan.
 */
export type TagEdit =
  | { readonly op: 'add'; readonly type: FixType; readonly key: string; readonly value: string }
  | {
      readonly op: 'set';
      readonly type: FixType;
      readonly key: string;
      readonly expected: string;
      readonly value: string;
      readonly digest?: TagDigest;
    }
  | {
      readonly op: 'rename';
      readonly type: FixType;
      readonly from: string;
      readonly to: string;
      readonly expected: string;
      /** The value written under `to` (the old value, normalised when the dictionary maps it). */
      readonly value: string;
      /**
       * Present when `value` differs from `expected`: the kind of that value change (a normalised value, a parent's
       * value, a default filling an empty one). `fix --fix-type` applies the key move and the value change only when
       * each one's type is requested (a rename without its value change keeps `expected`).
       */
      readonly valueType?: ValueFixType;
    }
  | { readonly op: 'remove'; readonly type: FixType; readonly key: string; readonly expected: string; readonly digest?: TagDigest };

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Human-readable; must never contain a raw PII value (see pii/redact). */
  readonly message: string;
  readonly resource: ResourceRef;
  /** The tag concerned. `value` is absent for missing tags and masked when it carries PII. */
  readonly tag?: { readonly key: string; readonly value?: string };
  /** Proposed edits (all or nothing) when the finding is fixable. */
  readonly fix?: readonly TagEdit[];
  /** Stable across runs: hash of (ruleId, ARN, tag key). */
  readonly fingerprint: string;
  /** Rule-specific structured detail (e.g. { piiKind: 'email', where: 'value' }). Never raw PII. */
  readonly data?: Readonly<Record<string, unknown>>;
  /**
   * A fix the engine withheld (no room under the 50-tag limit, an edit AWS would refuse, or one copying personal data),
   * for the fixer's Skipped
   * list; the message says the same. In memory only: reports do not write it.
   */
  readonly withheld?: { readonly reason: 'tag-limit' | 'unsupported-edit'; readonly detail: string };
}

/** Static facts about a rule; reporters (SARIF rules[], table help, docs pages) read only this. */
export interface RuleMeta {
  readonly id: string;
  readonly description: string;
  readonly defaultSeverity: Severity;
  /**
   * When the level a finding is reported at is not simply defaultSeverity (or `rules: {<id>: …}`), a short phrase
   * saying what else decides it ("error over 50 user tags"). The README's rule table, `tagaudit rules` and the docs
   * page's severity cell show it after the default severity.
   */
  readonly severityNote?: string;
  readonly fixable: boolean;
  readonly docsUrl: string;
  /** Longer explanation for SARIF fullDescription / help text. */
  readonly rationale: string;
}

/** What a rule reports before the engine stamps severity, fingerprint and resource on it. */
export interface RuleReport {
  readonly message: string;
  readonly tag?: { readonly key: string; readonly value?: string };
  readonly fix?: readonly TagEdit[];
  /** Overrides the configured severity (e.g. a finished job's missing tag is only a note). */
  readonly severity?: Severity;
  readonly data?: Readonly<Record<string, unknown>>;
  /** A fix that was due but is not proposed, and why (the message says so too): the fixer lists it as skipped. */
  readonly withheld?: string;
}

/** Everything a rule may look at. Rules never call AWS. */
export interface RuleContext {
  readonly resource: Resource;
  readonly policy: Policy;
  /** Other resources by ARN, for rules that compare with a parent (inherited-tag-drift). May be empty offline. */
  readonly lookup: (arn: string) => Resource | undefined;
  /** Masks a string if it is (or contains) PII detected on this resource; identity otherwise. */
  readonly display: (text: string) => string;
}

export interface Rule {
  readonly meta: RuleMeta;
  /** Pure: reads the context, returns problems. Throwing is reported as a finding, never a silent pass. */
  check(ctx: RuleContext): readonly RuleReport[];
}
