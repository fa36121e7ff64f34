import type { JournalRecord } from './journal.js';

/*
 * The checks between the records of one journal, after each record's own shape is checked (journal-check.ts). Undo
 * restores a resource from its first `resource` record, which the applier writes (and flushes) before the resource's
 * first write call: a write to a resource without one would be silently left out of the undo, and a `resource`
 * record of a resource the plan does not name is not one the applier wrote. Messages name fields, never values.
 */

const NO_RESOURCE_RECORD = "names a resource with no resource record before it (one is written before a resource's first write)";

/** Follows a journal's records in order; `problem` says what is wrong with the next one given those before it. */
export class JournalLinks {
  private kind: 'fix' | 'undo' | undefined;
  private planned: ReadonlySet<string> | undefined;
  private resumed = false;
  private readonly recorded = new Set<string>();

  /** `<type> record: <problem> (at <field path>)`, or undefined when the record fits the ones before it. */
  problem(r: JournalRecord): string | undefined {
    switch (r.t) {
      case 'begin':
        this.kind = r.kind;
        return undefined;
      case 'plan':
        this.planned = new Set(r.plan.resources.map((p) => p.arn));
        return undefined;
      case 'resume':
        this.resumed = true;
        return undefined;
      case 'resource':
        if (!this.planned) return "resource record: comes before the journal's plan record";
        // A continued undo plans again from the live tags, and records no new plan: it may write a resource its first
        // run found as before (see session.continueUndoJournal).
        if (!(this.kind === 'undo' && this.resumed) && !this.planned.has(r.arn)) return "resource record: names a resource that is not in the journal's plan (at arn)";
        this.recorded.add(r.arn);
        return undefined;
      case 'call':
        return this.unrecorded('call', r.arns, 'arns');
      case 'result': {
        const bad = this.unrecorded('result', r.ok, 'ok');
        if (bad) return bad;
        return Object.keys(r.failed).some((a) => !this.recorded.has(a)) ? `result record: ${NO_RESOURCE_RECORD} (at failed)` : undefined;
      }
      case 'done':
        // Only `fixed` says it was written: an undo records resources it planned nothing for as already-fixed or drifted.
        return r.status === 'fixed' && !this.recorded.has(r.arn) ? `done record: ${NO_RESOURCE_RECORD} (at arn)` : undefined;
      default:
        return undefined;
    }
  }

  private unrecorded(t: string, arns: readonly string[], field: string): string | undefined {
    const i = arns.findIndex((a) => !this.recorded.has(a));
    return i < 0 ? undefined : `${t} record: ${NO_RESOURCE_RECORD} (at ${field}.${i})`;
  }
}
