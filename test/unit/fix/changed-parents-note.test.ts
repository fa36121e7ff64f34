import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/deps.js';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { NON_PII_FIX_TYPES } from '../../../src/fix/plan.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut } from '../../support/cli.js';
import { tagsWith } from '../../support/policies.js';
import { MemoryCloud } from './memory-cloud.js';
import { tempDir } from './run.js';

const COST = 'anycompany:finance:cost-center';
const HPO = 'arn:aws:sagemaker:us-east-1:111122223333:hyper-parameter-tuning-job/churn-hpo';
const JOB = 'arn:aws:sagemaker:us-east-1:111122223333:training-job/churn-hpo-001';
const FN = 'arn:aws:lambda:us-east-1:111122223333:function:scorer';

const noClients = (): ClientFactory => {
  throw new Error('no AWS in unit tests');
};

function options(inventory: string, journal: string, dictionary: string): FixOptions {
  return {
    scan: { dictionary, inventories: [inventory], strictInventory: false, format: 'table', failOn: 'error', colorFlag: false, quiet: false },
    apply: true,
    yes: true,
    journal,
    fixTypes: new Set(NON_PII_FIX_TYPES),
    fixTypesGiven: false,
    liveFlags: [],
  };
}

async function applyFix(resources: { arn: string; tags: Record<string, string>; parentArns?: string[] }[], costCenterInherit?: string): Promise<string> {
  const dir = tempDir();
  let dictionary = resolve('dictionaries/anycompany.yaml');
  if (costCenterInherit !== undefined) {
    const text = readFileSync(dictionary, 'utf8').replace(
      /(- key: anycompany:finance:cost-center\n(?:.*\n)*?\s+costAllocation: true\n)/,
      `$1    inherit: ${costCenterInherit}\n`,
    );
    dictionary = join(dir, 'dictionary.yaml');
    writeFileSync(dictionary, text);
  }
  const inventory = join(dir, 'estate.jsonl');
  writeFileSync(inventory, resources.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const cloud = new MemoryCloud(Object.fromEntries(resources.map((r) => [r.arn, { ...r.tags }])));
  const err = bufferOut();
  const d: CliDeps = { stdout: bufferOut(), stderr: err, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
  await runFix(options(inventory, 'j.jsonl', dictionary), d, { clients: noClients, backend: cloud.backend() });
  return err.text();
}

describe('fix --apply says when it changed an inherited tag on a resource others are created from', () => {
  it('a tuning job whose cost center was renamed: its training jobs are not read again, so the note says to scan again', async () => {
    const stderr = await applyFix([
      { arn: HPO, tags: tagsWith({ [COST]: undefined, CostCenter: 'Sales-7000' }) },
      { arn: JOB, tags: tagsWith({ [COST]: 'Sales-7000' }), parentArns: [HPO] },
    ]);
    expect(stderr).toContain(
      'tagaudit: this fix changed inherited tags on 1 resource other resources are created from (tuning jobs, pipelines, endpoint configs, models…); ' +
        'resources created from them were not read again and may now differ from them: run the scan again (inherited-tag-drift)\n',
    );
  });

  // The note follows the key's `inherit`: children that do not take the key from such a parent cannot drift from it.
  it.each([['false'], ['[sagemaker:endpoint-config]']])('no note when the key is not inherited from a tuning job (inherit: %s)', async (inherit) => {
    const stderr = await applyFix(
      [
        { arn: HPO, tags: tagsWith({ [COST]: undefined, CostCenter: 'Sales-7000' }) },
        { arn: JOB, tags: tagsWith({ [COST]: 'Sales-7000' }), parentArns: [HPO] },
      ],
      inherit,
    );
    expect(stderr).toContain('tagaudit: journal:');
    expect(stderr).not.toContain('created from');
  });

  it('no note for resources nothing is created from', async () => {
    const stderr = await applyFix([{ arn: FN, tags: tagsWith({ [COST]: undefined, CostCenter: 'Sales-7000' }) }]);
    expect(stderr).toContain('tagaudit: journal:');
    expect(stderr).not.toContain('created from');
  });
});
