import type { TagPolicy } from '../dictionary/policy.js';
import type { Resource } from '../inventory/resource.js';
import type { PiiHit } from '../pii/detect.js';
import type { RuleContext } from './types.js';
import { isMapped, policyIndex, type KeyClass, type MappedKeyClass, type PolicyIndex, type TagFacts, type ValueVerdict } from './policy-index.js';
import { inheritedValues, type Inherited } from './inheritance.js';
import { ALL_ENABLED, type EnabledRules } from './rule-ids.js';
import { planTag, type TagPlan } from './tag-plan.js';

const NO_HITS: readonly PiiHit[] = Object.freeze([]);
const NO_INDEXES: readonly number[] = Object.freeze([]);
const identity = (text: string): string => text;

/**
 * Everything the rules need to know about one resource's tags, computed in one pass and shared by all rules (the
 * engine builds it once per resource). Per tag it holds only the memoised, shared TagFacts, so a resource whose
 * keys and values have been seen before costs one array and a Map lookup per tag.
 */
export class ResourceAnalysis {
  /** Tag keys, in the resource's order; everything below is indexed by position in this array. */
  readonly keys: readonly string[];
  readonly facts: readonly TagFacts[];
  /** Tags that count toward the 50-tag limit (everything but `aws:`). */
  readonly userTagCount: number;
  /** Tags that map to a dictionary entry through an alias, a miscasing or a last segment. */
  readonly variantCount: number;
  /** Non-aws tags that map to no single dictionary entry (unknown or ambiguous). */
  readonly unmappedCount: number;
  /** Mapped tags whose value is not `ok` (blank, needs normalising, ambiguous or invalid). */
  readonly valueProblemCount: number;
  readonly piiTagCount: number;
  /** Masks every PII string found on this resource; identity when there is none. */
  readonly display: (text: string) => string;

  private byEntry: Map<TagPolicy, number[]> | undefined;
  private inherited: ReadonlyMap<TagPolicy, Inherited> | undefined;
  private plans: (TagPlan | null | undefined)[] | undefined;

  constructor(
    readonly index: PolicyIndex,
    readonly resource: Resource,
    /** The rules running in this audit (decides which rule's finding carries a shared edit). */
    readonly enabled: EnabledRules = ALL_ENABLED,
  ) {
    const tags = resource.tags;
    const keys = Object.keys(tags);
    const facts: TagFacts[] = [];
    let user = 0;
    let variants = 0;
    let unmapped = 0;
    let valueProblems = 0;
    let piiTags = 0;
    let firstHits: readonly PiiHit[] | undefined;
    let allHits: PiiHit[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const f = index.facts(key, tags[key] as string);
      facts.push(f);
      switch (f.cls.kind) {
        case 'aws':
          break;
        case 'canonical':
          user++;
          if (f.verdict.kind !== 'ok') valueProblems++;
          break;
        case 'unknown':
        case 'ambiguous':
          user++;
          unmapped++;
          break;
        default:
          user++;
          variants++;
          if (f.verdict.kind !== 'ok') valueProblems++;
      }
      if (f.pii.length > 0) {
        piiTags++;
        if (!firstHits) firstHits = f.pii;
        else (allHits ??= [...firstHits]).push(...f.pii);
      }
    }
    this.keys = keys;
    this.facts = facts;
    this.userTagCount = user;
    this.variantCount = variants;
    this.unmappedCount = unmapped;
    this.valueProblemCount = valueProblems;
    this.piiTagCount = piiTags;
    // One PII tag (the usual case): its hits array is shared across resources, so its redactor is memoised.
    this.display = allHits ? index.redactor(allHits) : firstHits ? index.redactor(firstHits) : identity;
  }

  /** The value of the tag at `i`. */
  valueAt(i: number): string {
    return this.resource.tags[this.keys[i] as string] as string;
  }

  classAt(i: number): KeyClass | undefined {
    return this.facts[i]?.cls;
  }

  verdictAt(i: number): ValueVerdict | undefined {
    return this.facts[i]?.verdict;
  }

  /** PII found in the tag at `i` (key or value); empty for a clean tag. */
  piiAt(i: number): readonly PiiHit[] {
    return this.facts[i]?.pii ?? NO_HITS;
  }

  /** The class of the tag at `i` when it maps to a dictionary entry. */
  mapped(i: number): MappedKeyClass | undefined {
    const cls = this.facts[i]?.cls;
    return cls && isMapped(cls) ? cls : undefined;
  }

  /** Positions of the tags that mean `entry` (its key, aliases, miscasings, last segment), in tag order. */
  indexesOf(entry: TagPolicy): readonly number[] {
    if (this.variantCount === 0) {
      // Only canonical keys map to entries: a direct property check answers without building the map.
      if (!Object.prototype.hasOwnProperty.call(this.resource.tags, entry.key)) return NO_INDEXES;
      return [this.keys.indexOf(entry.key)];
    }
    return this.entryMap().get(entry) ?? NO_INDEXES;
  }

  /** Whether any tag (under any name the dictionary recognises) means `entry`. */
  has(entry: TagPolicy): boolean {
    if (this.variantCount === 0) return Object.prototype.hasOwnProperty.call(this.resource.tags, entry.key);
    return this.entryMap().has(entry);
  }

  /** Whether two or more tags on this resource mean `entry`. */
  isConflicted(entry: TagPolicy): boolean {
    return this.variantCount > 0 && (this.entryMap().get(entry)?.length ?? 0) > 1;
  }

  /** Entries meant by two or more tags, in dictionary order, with the tag positions. */
  conflicts(): readonly (readonly [TagPolicy, readonly number[]])[] {
    if (this.variantCount === 0) return [];
    const out: [TagPolicy, number[]][] = [];
    for (const entry of this.index.policy.tags) {
      const at = this.entryMap().get(entry);
      if (at && at.length > 1) out.push([entry, at]);
    }
    return out;
  }

  /**
   * Values this resource's parents give its inherited keys (only where every parent found that is a reference for
   * the key carries the same usable value; see inheritance.ts), computed on first use. Shared by missing-tag, empty-tag-value and inherited-tag-drift so they propose the same value.
   */
  inheritedFrom(ctx: RuleContext): ReadonlyMap<TagPolicy, Inherited> {
    this.inherited ??= inheritedValues(this.index, this.resource, ctx.lookup);
    return this.inherited;
  }

  /** The edit planned for the tag at `i` (see tag-plan.ts); undefined for tags outside the dictionary. */
  planOf(ctx: RuleContext, i: number): TagPlan | undefined {
    const plans = (this.plans ??= []);
    let plan = plans[i];
    if (plan === undefined) {
      plan = planTag(ctx, this, i) ?? null;
      plans[i] = plan;
    }
    return plan ?? undefined;
  }

  private entryMap(): Map<TagPolicy, number[]> {
    if (!this.byEntry) {
      const map = new Map<TagPolicy, number[]>();
      for (let i = 0; i < this.facts.length; i++) {
        const cls = (this.facts[i] as TagFacts).cls;
        if (!isMapped(cls)) continue;
        const list = map.get(cls.entry);
        if (list) list.push(i);
        else map.set(cls.entry, [i]);
      }
      this.byEntry = map;
    }
    return this.byEntry;
  }
}

/** A RuleContext that carries the shared analysis (what the engine hands to rules). */
export interface AnalyzedContext extends RuleContext {
  readonly analysis: ResourceAnalysis;
}

/**
 * The analysis for a rule's context: the engine's shared one, or (for a rule called on its own, e.g. from a
 * test) a fresh one built here.
 */
export function analysisOf(ctx: RuleContext): ResourceAnalysis {
  return (ctx as Partial<AnalyzedContext>).analysis ?? new ResourceAnalysis(policyIndex(ctx.policy), ctx.resource);
}
