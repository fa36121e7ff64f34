import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/deps.js';
import type { ScanError } from '../../../src/report/types.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { liveSource } from '../../../src/scan/live-source.js';

const ME = '111111111111';

/** A factory whose every tag read fails: the scan ends at once, with an error and no resource. */
function failingFactory(): ClientFactory {
  const fail = async (): Promise<never> => {
    throw new Error('no AWS in this test');
  };
  return {
    callerIdentity: async () => ({ accountId: ME, arn: `arn:aws:iam::${ME}:user/me`, partition: 'aws' }),
    configuredRegion: async () => 'eu-west-1',
    credentialsFor: fail,
    tagging: fail,
    sagemaker: fail,
    config: fail,
    s3: fail,
    organizations: fail,
    account: fail,
    apiCalls: () => ({}),
    destroy: () => undefined,
  } as unknown as ClientFactory;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-save-note-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the --save-inventory note', () => {
  it('names the file with personal data in its name masked, as every message shows a file name', async () => {
    mkdirSync(join(dir, 'sv.save@example.com'));
    let stderr = '';
    const deps = {
      stdout: { write: () => true, isTTY: false },
      stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
      env: {},
      cwd: dir,
      now: () => new Date(),
      interactive: false,
    } as unknown as CliDeps;
    const errors: ScanError[] = [];
    const source = liveSource({
      live: {
        scan: { env: {}, roleName: 'r', since: new Date(0), concurrency: 1, regions: ['eu-west-1'], sources: ['tagging-api'], clients: failingFactory() },
        saveInventory: 'sv.save@example.com/078-05-1120.jsonl',
      },
      deps,
      errorLog: { add: (e) => errors.push(e), list: () => errors },
      quiet: false,
    });
    for await (const r of source.resources) expect(r).toBeUndefined();
    expect(stderr).toContain('tagaudit: wrote 0 resources to s***@e*****e.com/***-**-1120.jsonl\n');
    expect(stderr).not.toMatch(/sv\.save|078-05/);
  });
});
