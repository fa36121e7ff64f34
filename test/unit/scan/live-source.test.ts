import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/deps.js';
import { UsageError } from '../../../src/errors.js';
import type { ScanError } from '../../../src/report/types.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { liveSource } from '../../../src/scan/live-source.js';

const ME = '111111111111';

/** A factory that counts every AWS call attempt: none may happen when a flag is refused. */
function countingFactory(): { factory: ClientFactory; calls: () => number } {
  let calls = 0;
  const touch = async (): Promise<never> => {
    calls++;
    throw new Error('no AWS in this test');
  };
  const factory = {
    callerIdentity: async () => {
      calls++;
      return { accountId: ME, arn: `arn:aws:iam::${ME}:user/me`, partition: 'aws' };
    },
    configuredRegion: async () => 'eu-west-1',
    credentialsFor: touch,
    tagging: touch,
    sagemaker: touch,
    config: touch,
    s3: touch,
    organizations: touch,
    account: touch,
    apiCalls: () => ({}),
    destroy: () => undefined,
  } as unknown as ClientFactory;
  return { factory, calls: () => calls };
}

function deps(cwd: string): CliDeps {
  const sink = { write: () => true, isTTY: false };
  return { stdout: sink, stderr: sink, env: {}, cwd, now: () => new Date(), interactive: false } as unknown as CliDeps;
}

function errorLog(): { add(e: ScanError): void; list(): ScanError[] } {
  const all: ScanError[] = [];
  return { add: (e) => all.push(e), list: () => all };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-live-source-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('liveSource --save-inventory', () => {
  const open = (saveInventory: string, factory: ClientFactory) =>
    liveSource({
      live: {
        scan: { env: {}, roleName: 'r', since: new Date(0), concurrency: 1, regions: ['eu-west-1'], sources: ['tagging-api'], clients: factory },
        saveInventory,
      },
      deps: deps(dir),
      errorLog: errorLog(),
      quiet: true,
    });

  it('refuses a file in a missing directory as a usage error naming it, before any AWS call', () => {
    const { factory, calls } = countingFactory();
    let thrown: unknown;
    try {
      open('no-such-dir/inv.jsonl', factory);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(String((thrown as Error).message)).toMatch(/does not exist/);
    expect(calls()).toBe(0);
  });

  it('refuses a path that is a directory', () => {
    const { factory } = countingFactory();
    expect(() => open('.', factory)).toThrow(UsageError);
  });

  it('accepts a writable path and leaves nothing behind until the scan runs', () => {
    const { factory, calls } = countingFactory();
    writeFileSync(join(dir, 'old.jsonl'), 'x');
    open('old.jsonl', factory);
    expect(readdirSync(dir)).toEqual(['old.jsonl']);
    expect(calls()).toBe(0);
  });
});
