import type { Policy } from '../../../src/dictionary/policy.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { tryParseArn } from '../../../src/inventory/arn.js';
import { createAuditor } from '../../../src/rules/engine.js';
import type { Finding, TagEdit } from '../../../src/rules/types.js';
import { createPlanner, type PlannerOptions } from '../../../src/fix/planner.js';
import { policyResourceMasker } from '../../../src/fix/mask.js';
import { NON_PII_FIX_TYPES, type FixPlan } from '../../../src/fix/plan.js';

export const DEV = '111122223333';
export const PROD = '444455556666';

export function lambda(name: string, tags: Record<string, string>, accountId = DEV, region = 'us-east-1'): Resource {
  return resource(`arn:aws:lambda:${region}:${accountId}:function:${name}`, tags);
}

export function resource(arn: string, tags: Record<string, string>, extra: Partial<Resource> = {}): Resource {
  const p = tryParseArn(arn)!;
  return { arn, accountId: p.accountId, region: p.region || 'global', service: p.service, resourceType: p.resourceType, tags, source: 'inventory', ...extra };
}

export function finding(resource: Resource, ruleId: string, fix: TagEdit[], data?: Record<string, unknown>): Finding {
  return {
    ruleId,
    severity: 'error',
    message: `${ruleId} finding`,
    resource: { arn: resource.arn, accountId: resource.accountId, region: resource.region, service: resource.service, resourceType: resource.resourceType },
    fix,
    fingerprint: `${ruleId}:${resource.arn}`,
    ...(data ? { data } : {}),
  };
}

export function plannerOptions(policy: Policy, overrides: Partial<PlannerOptions> = {}): PlannerOptions {
  return { policy, fixTypes: new Set(NON_PII_FIX_TYPES), maskResource: policyResourceMasker(policy), ...overrides };
}

/** Audits resources with the real rules engine and plans from the findings, as `tagaudit fix` does. */
export function planFromAudit(policy: Policy, resources: readonly Resource[], overrides: Partial<PlannerOptions> = {}): FixPlan {
  const auditor = createAuditor(policy);
  const byArn = new Map(resources.map((r) => [r.arn, r]));
  const planner = createPlanner(plannerOptions(policy, overrides));
  for (const r of resources) planner.add(r, auditor.audit(r, (arn) => byArn.get(arn)));
  return planner.finish({ createdAt: '2024-06-01T12:00:00.000Z', toolVersion: '0.0.0-test' });
}

/** Findings the real rules engine reports on resources, with a lookup over them. */
export function auditAll(policy: Policy, resources: readonly Resource[]): Map<string, Finding[]> {
  const auditor = createAuditor(policy);
  const byArn = new Map(resources.map((r) => [r.arn, r]));
  return new Map(resources.map((r) => [r.arn, auditor.audit(r, (arn) => byArn.get(arn))]));
}
