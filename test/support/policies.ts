import { compilePolicy, type Policy, type PolicyInput, type TagPolicyInput } from '../../src/dictionary/policy.js';
import { DEFAULT_PII_POLICY } from '../../src/pii/policy.js';

/** Account ids as in dictionaries/anycompany.yaml (AWS documentation example ids). */
export const ACCOUNTS = { dev: '111122223333', prod: '444455556666', shared: '777788889999' } as const;

/**
 * A small dictionary in the conventions of dictionaries/anycompany.yaml: namespaced kebab-case keys with a company
 * prefix, deprecated aliases people still type, value aliases, per-account defaults.
 */
export const ANYCOMPANY_TAGS: readonly TagPolicyInput[] = [
  {
    key: 'anycompany:workload:application-id',
    category: 'workload',
    mandatory: true,
    costAllocation: true,
    pattern: /^app-[0-9]{4}$/u,
    aliases: ['ApplicationId', 'AppId'],
  },
  {
    key: 'anycompany:workload:environment',
    category: 'workload',
    mandatory: true,
    costAllocation: true,
    values: ['production', 'staging', 'development'],
    valueAliases: { prod: 'production', prd: 'production', dev: 'development' },
    aliases: ['Environment', 'env'],
    accountDefaults: { [ACCOUNTS.dev]: 'development' },
  },
  {
    key: 'anycompany:finance:owner',
    category: 'financial',
    mandatory: true,
    costAllocation: true,
    pattern: /^[A-Za-z][A-Za-z0-9-]{1,63}$/u,
    aliases: ['Owner', 'Team'],
  },
  {
    key: 'anycompany:finance:cost-center',
    category: 'financial',
    mandatory: true,
    costAllocation: true,
    pattern: /^([A-Z][A-Za-z]*-)?[0-9]{4}$/u,
    aliases: ['CostCenter', 'CostCentre'],
    accountDefaults: { [ACCOUNTS.shared]: 'Shared-1000' },
  },
  {
    key: 'anycompany:security:data-classification',
    category: 'security',
    mandatory: ['sagemaker:*', 's3:bucket'],
    costAllocation: false,
    values: ['public', 'internal', 'confidential', 'restricted'],
    valueAliases: { private: 'confidential' },
    aliases: ['DataClassification'],
    default: 'internal',
    severity: 'error',
  },
  {
    key: 'anycompany:workload:name',
    category: 'workload',
    pattern: /^[a-z0-9][a-z0-9-]{0,62}$/u,
  },
  {
    key: 'anycompany:operations:backup',
    category: 'operations',
    values: ['none', 'daily', 'weekly'],
    valueAliases: { nightly: 'daily' },
    aliases: ['Backup'],
  },
  {
    key: 'anycompany:workload:version',
    category: 'workload',
    pattern: /^v?[0-9]+(\.[0-9]+){0,2}$/u,
  },
];

/** The test dictionary, with optional overrides (conventions, rule severities, extra keys …). */
export function anycompanyPolicy(overrides: Partial<PolicyInput> = {}): Policy {
  return compilePolicy({
    name: 'anycompany-test',
    path: 'test/anycompany.yaml',
    conventions: { keyCase: 'kebab', requiredPrefix: 'anycompany:', unknownKeys: 'warning' },
    pii: DEFAULT_PII_POLICY,
    tags: ANYCOMPANY_TAGS,
    ...overrides,
  });
}

/** Tags that satisfy every mandatory key of the test dictionary on a SageMaker resource. */
export const COMPLIANT_TAGS: Readonly<Record<string, string>> = Object.freeze({
  'anycompany:workload:application-id': 'app-1234',
  'anycompany:workload:environment': 'production',
  'anycompany:finance:owner': 'ml-platform',
  'anycompany:finance:cost-center': 'Sales-5045',
  'anycompany:security:data-classification': 'internal',
});

/** COMPLIANT_TAGS with some keys replaced (undefined removes a key). */
export function tagsWith(changes: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = { ...COMPLIANT_TAGS };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}
