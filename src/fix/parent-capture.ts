import { parentKey } from '../audit/parent-key.js';
import type { AuditorLike } from '../audit/pipeline.js';
import type { Resource } from '../inventory/resource.js';
import type { Finding } from '../rules/types.js';
import type { ParentLookup } from './planner.js';

/**
 * An auditor that also keeps, as the audit's lookup found them, the parents of each resource whose findings copy a
 * parent's value (an `inherit` edit, or a rename carrying one): the planner checks with them that no parent's
 * personal data is copied (planResource). Only those parents are held, not the estate.
 */
export function keepingParents(auditor: AuditorLike): { readonly auditor: AuditorLike; readonly parentOf: ParentLookup } {
  const kept = new Map<string, Resource>();
  return {
    auditor: {
      rules: auditor.rules,
      audit(resource, lookup, onSuppressed) {
        const findings = auditor.audit(resource, lookup, onSuppressed);
        const parents = resource.parentArns;
        if (parents && parents.length > 0 && findings.some(copiesParentValue)) {
          for (const arn of parents) {
            const key = parentKey(arn);
            if (kept.has(key)) continue;
            const parent = lookup(arn);
            if (parent) kept.set(key, parent);
          }
        }
        return findings;
      },
    },
    parentOf: (arn) => kept.get(parentKey(arn)),
  };
}

function copiesParentValue(f: Finding): boolean {
  const fix = f.fix;
  return fix !== undefined && fix.some((e) => e.type === 'inherit' || (e.op === 'rename' && e.valueType === 'inherit'));
}
