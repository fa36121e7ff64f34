import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callerCredentials, credentialsDeadlineMs } from '../../../src/scan/credentials.js';

// A credential_process that never exits (waiting for an MFA code nobody can type) used to hold every AWS call, and so
// the whole run, for ever. Now the credentials have a deadline, and the finished CLI does not wait for the process.

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-cred-hang-'));
writeFileSync(join(dir, 'config'), '[profile hang]\ncredential_process = /bin/sleep 30\nregion = us-east-1\n');
writeFileSync(join(dir, 'credentials'), '');
const files = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };

describe('credentials that never arrive', () => {
  it('fail after the deadline, naming the profile and the flag that raises it', async () => {
    const provider = await callerCredentials(files, 'hang', 300);
    const started = Date.now();
    await expect(provider()).rejects.toThrow(
      'no credentials from profile "hang" within 0 s (a credential_process, SSO, web identity or instance metadata that does not answer; --request-timeout raises the limit)',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the deadline follows --request-timeout: two timed-out attempts and a connection', () => {
    expect(credentialsDeadlineMs(30_000)).toBe(65_000);
    expect(credentialsDeadlineMs(1_000)).toBe(3_000);
  });

  it('a live scan reports it (exit 3) and the process exits though the credential process still runs', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, ...files, AWS_PROFILE: 'hang', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const child = spawn(process.execPath, [join(ROOT, 'bin/tagaudit'), 'scan', '--regions', 'us-east-1', '--request-timeout', '1'], { cwd: dir, env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((done) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 25_000);
      child.on('exit', (c) => {
        clearTimeout(kill);
        done(c);
      });
    });
    expect(code).toBe(3);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(stderr).toContain('no credentials from profile "hang" within 3 s');
  }, 30_000);
});
