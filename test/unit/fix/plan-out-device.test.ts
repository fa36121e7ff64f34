import { execFileSync, spawn } from 'node:child_process';
import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInventoryJsonl } from '../../../src/inventory/jsonl-writer.js';
import { writePlanFile } from '../../../src/fix/plan-file.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { tempDir } from './run.js';

// Writing beside a target and renaming onto it must never happen to a device or a pipe: as root, `--plan-out
// /dev/null` turned the system's /dev/null into a regular file. A FIFO stands in for the device here.
function fifo(name: string): string {
  const path = join(tempDir(), name);
  execFileSync('mkfifo', [path]);
  return path;
}

/**
 * Reads the FIFO from another process (as the reader of /dev/stdout would be): opening a FIFO for writing waits for
 * a reader, synchronously, so a reader in this process could never open.
 */
function drain(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = spawn('cat', [path]);
    let text = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    reader.on('error', reject).on('close', () => resolve(text));
  });
}

describe('outputs that are not regular files are written to, not replaced', () => {
  it('--plan-out', async () => {
    const path = fifo('plan.fifo');
    const plan = { version: 1, resources: [] } as unknown as FixPlan;
    const reading = drain(path);
    await writePlanFile(path, plan);
    const text = await reading;
    expect(JSON.parse(text)).toEqual(plan);
    expect(lstatSync(path).isFIFO()).toBe(true);
  });

  it('--save-inventory', async () => {
    const path = fifo('inventory.fifo');
    const reading = drain(path);
    const writer = writeInventoryJsonl(path);
    await writer.write({ arn: 'arn:aws:lambda:us-east-1:111122223333:function:f', accountId: '111122223333', region: 'us-east-1', service: 'lambda', resourceType: 'lambda:function', tags: {}, source: 'test' });
    await writer.close();
    expect((await reading).trim().split('\n')).toHaveLength(1);
    expect(lstatSync(path).isFIFO()).toBe(true);
  });

  it('through a symlink (like /dev/stdout pointing at a redirected file), the file is replaced and the link kept', async () => {
    const dir = tempDir();
    const real = join(dir, 'redirected.json');
    writeFileSync(real, '');
    const link = join(dir, 'stdout-link');
    symlinkSync(real, link);
    await writePlanFile(link, { version: 1, resources: [] } as unknown as FixPlan);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8'))).toEqual({ version: 1, resources: [] });
    const inv = join(dir, 'inventory-link');
    const realInv = join(dir, 'inventory.jsonl');
    writeFileSync(realInv, '');
    symlinkSync(realInv, inv);
    const writer = writeInventoryJsonl(inv);
    await writer.writeLine('{"scanError":{"source":"x","message":"y"}}');
    await writer.close();
    expect(lstatSync(inv).isSymbolicLink()).toBe(true);
    expect(readFileSync(realInv, 'utf8')).toContain('scanError');
  });
});
