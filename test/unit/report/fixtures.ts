import { createHash } from 'node:crypto';
import { tryParseArn } from '../../../src/inventory/arn.js';
import type { ResourceRef } from '../../../src/inventory/resource.js';
import type { Finding, RuleMeta, Severity, TagEdit } from '../../../src/rules/types.js';
import type { Report, RunInfo, ScanError } from '../../../src/report/types.js';
import { createSummaryCounter } from '../../../src/report/summary.js';

// Hand-built findings: the reporters are tested on their own, independent of the rules engine.

export const RULES: readonly RuleMeta[] = [
  {
    id: 'missing-mandatory-tag',
    description: 'A tag the dictionary makes mandatory for this resource type is missing.',
    defaultSeverity: 'error',
    fixable: true,
    docsUrl: 'https://example.com/tagaudit/docs/rules/missing-mandatory-tag.md',
    rationale: 'Cost allocation reports group spend by mandatory tags; an untagged resource lands in "No tag" and nobody owns its cost.',
  },
  {
    id: 'miscased-key',
    description: 'A tag key differs from the dictionary key only in case or separators.',
    defaultSeverity: 'warning',
    fixable: true,
    docsUrl: 'https://example.com/tagaudit/docs/rules/miscased-key.md',
    rationale: 'Tag keys are case-sensitive: "env" and "Environment" are two different cost allocation tags.',
  },
  {
    id: 'invalid-value',
    description: 'A tag value is not one of the values the dictionary allows.',
    defaultSeverity: 'error',
    fixable: true,
    docsUrl: 'https://example.com/tagaudit/docs/rules/invalid-value.md',
    rationale: 'Free-form values fragment reports: "prod", "Prod" and "production" show up as three environments.',
  },
  {
    id: 'pii-in-tag',
    description: 'A tag key or value contains personal data.',
    defaultSeverity: 'error',
    fixable: true,
    docsUrl: 'https://example.com/tagaudit/docs/rules/pii-in-tag.md',
    rationale: 'Tags are not secret: anyone with tag:GetResources reads them, and they are copied into billing exports.',
  },
  {
    id: 'inherited-tag-drift',
    description: 'A cost allocation tag differs from the value on the resource this one was created from.',
    defaultSeverity: 'note',
    fixable: true,
    docsUrl: 'https://example.com/tagaudit/docs/rules/inherited-tag-drift.md',
    rationale: 'A training job billed to a different cost center than its tuning job splits one project across two budgets.',
  },
];

export function ref(arn: string, overrides: Partial<ResourceRef> = {}): ResourceRef {
  const p = tryParseArn(arn);
  if (!p) throw new Error(`bad test ARN ${arn}`);
  return { arn, accountId: p.accountId, region: p.region || 'global', service: p.service, resourceType: p.resourceType, ...overrides };
}

export function finding(
  ruleId: string,
  severity: Severity,
  resource: ResourceRef,
  message: string,
  extra: { tag?: { key: string; value?: string }; fix?: TagEdit[]; data?: Record<string, unknown> } = {},
): Finding {
  const fingerprint = createHash('sha256').update(`${ruleId}\0${resource.arn}\0${extra.tag?.key ?? ''}`).digest('hex');
  return { ruleId, severity, message, resource, fingerprint, ...extra };
}

export const TRAINING_JOB = ref('arn:aws:sagemaker:us-east-1:123456789012:training-job/fraud-xgb-2024-06-01-12-00-00-000');
export const ENDPOINT = ref('arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-prod');
export const BUCKET = ref('arn:aws:s3:::ml-datasets-prod'); // no account in the ARN, region 'global'
export const LOG_GROUP = ref('arn:aws:logs:eu-west-1:210987654321:log-group:/aws/sagemaker/TrainingJobs');
export const ROLE = ref('arn:aws:iam::210987654321:role/SageMakerExecution');

export const MASKED_EMAIL = 'j***@e******.com';
export const RAW_EMAIL = 'jane.doe@example.com';

export function sampleFindings(): Finding[] {
  return [
    finding('missing-mandatory-tag', 'error', TRAINING_JOB, 'Missing mandatory tag "CostCenter".', {
      tag: { key: 'CostCenter' },
      fix: [{ op: 'add', type: 'inherit', key: 'CostCenter', value: '1234' }],
    }),
    finding('miscased-key', 'warning', TRAINING_JOB, 'Key "env" should be "Environment".', {
      tag: { key: 'env', value: 'prod' },
      fix: [{ op: 'rename', type: 'rename-key', from: 'env', to: 'Environment', expected: 'prod', value: 'production' }],
    }),
    finding('invalid-value', 'error', ENDPOINT, 'Environment "Prod" is not one of: production, staging, development.', {
      tag: { key: 'Environment', value: 'Prod' },
      fix: [{ op: 'set', type: 'normalize-value', key: 'Environment', expected: 'Prod', value: 'production' }],
    }),
    finding('pii-in-tag', 'error', ENDPOINT, `Tag "Owner" holds an email address (${MASKED_EMAIL}).`, {
      tag: { key: 'Owner', value: MASKED_EMAIL },
      fix: [
        {
          op: 'remove',
          type: 'pii-remove',
          key: 'Owner',
          expected: MASKED_EMAIL,
          digest: { keySha256: 'a'.repeat(64), valueSha256: 'b'.repeat(64) },
        },
      ],
      data: { piiKind: 'email', where: 'value' },
    }),
    finding('missing-mandatory-tag', 'error', BUCKET, 'Missing mandatory tag "DataClassification".', { tag: { key: 'DataClassification' } }),
    finding('inherited-tag-drift', 'note', LOG_GROUP, 'CostCenter "9999" differs from the parent\'s "1234".', {
      tag: { key: 'CostCenter', value: '9999' },
    }),
    finding('missing-mandatory-tag', 'warning', ROLE, 'Missing mandatory tag "Owner".', { tag: { key: 'Owner' } }),
  ];
}

export const COMPLETE_RUN: RunInfo = {
  status: 'complete',
  startedAt: '2025-01-15T02:00:00.000Z',
  finishedAt: '2025-01-15T02:03:12.345Z',
  dictionary: { path: 'dictionaries/anycompany.yaml', sha256: 'c'.repeat(64) },
  scope: { mode: 'live', accounts: ['123456789012', '210987654321'], regions: ['us-east-1', 'eu-west-1'] },
};

export const GAPS: readonly ScanError[] = [
  {
    accountId: '210987654321',
    region: 'eu-west-1',
    source: 'tagging-api',
    message: 'User is not authorized to perform: tag:GetResources',
    code: 'AccessDeniedException',
  },
];

/** A report as the scan command assembles it: summary counted with the shared counter. */
export function makeReport(findings: readonly Finding[] = sampleFindings(), overrides: Partial<Report> = {}, resources = 310): Report {
  const counter = createSummaryCounter();
  counter.countResource(resources);
  for (const f of findings) counter.add(f);
  return {
    schemaVersion: 1,
    tool: { name: 'tagaudit', version: '0.1.0' },
    run: COMPLETE_RUN,
    summary: counter.result(),
    findings,
    errors: [],
    rules: RULES,
    ...overrides,
  };
}

export function partialReport(findings: readonly Finding[] = sampleFindings()): Report {
  return makeReport(findings, { run: { ...COMPLETE_RUN, status: 'partial' }, errors: GAPS });
}

/** A ChunkWriter that keeps what it is given, for sinks under test. */
export function memoryWriter(): { write(chunk: string): void; close(): Promise<void>; text(): string; closed(): boolean; chunks: string[] } {
  const chunks: string[] = [];
  let closed = false;
  return {
    chunks,
    write(chunk) {
      if (closed) throw new Error('write after close');
      chunks.push(chunk);
    },
    async close() {
      closed = true;
    },
    text: () => chunks.join(''),
    closed: () => closed,
  };
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;
// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
