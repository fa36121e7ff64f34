import type { Rule, RuleContext, RuleMeta, RuleReport, Severity } from './types.js';

export const RULE_DOCS_BASE = 'https://github.com/tagaudit/tagaudit/blob/main/docs/rules/';

/** The docs page of a rule id (also the path of its page in this repository: docs/rules/<id>.md). */
export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}${id}.md`;
}

export interface RuleDefinition<Id extends string> {
  readonly id: Id;
  /** One sentence; the first paragraph of docs/rules/<id>.md must equal it (a test checks). */
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** What else decides the level of a finding, when something does (see RuleMeta.severityNote). */
  readonly severityNote?: string;
  readonly fixable: boolean;
  /** Why it matters (SARIF fullDescription, help text). */
  readonly rationale: string;
  check(ctx: RuleContext): readonly RuleReport[];
}

export interface DefinedRule<Id extends string> extends Rule {
  readonly meta: RuleMeta & { readonly id: Id };
}

/** Defines a rule: fills the docs URL from the id and freezes the metadata. */
export function createRule<const Id extends string>(def: RuleDefinition<Id>): DefinedRule<Id> {
  const meta = Object.freeze({
    id: def.id,
    description: def.description,
    defaultSeverity: def.defaultSeverity,
    ...(def.severityNote !== undefined ? { severityNote: def.severityNote } : {}),
    fixable: def.fixable,
    docsUrl: ruleDocsUrl(def.id),
    rationale: def.rationale,
  });
  return Object.freeze({ meta, check: def.check });
}

/** What a rule returns when it has nothing to say (shared, so the common case allocates nothing). */
export const NO_REPORTS: readonly RuleReport[] = Object.freeze([]);
