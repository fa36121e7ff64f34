import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A named pipe is read once, like `-i <(cmd)`: the readability check before the scan used to open and close it,
// which took the writer's data away, and the scan then waited for a writer for ever.

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-fifo-'));
const LINE = JSON.stringify({ arn: 'arn:aws:lambda:us-east-1:111122223333:function:a', tags: {} });

describe('scan -i <named pipe>', () => {
  it('audits what the writer sends (scan and fix)', async () => {
    for (const command of ['scan', 'fix']) {
      const fifo = join(dir, `${command}.fifo`);
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const writer = spawn('sh', ['-c', `printf '%s\\n' '${LINE}' > '${fifo}'`]);
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/tagaudit'), command, '-i', fifo, '--format', 'json', '--fail-on', 'none'], {
        encoding: 'utf8',
        cwd: ROOT,
        timeout: 15_000,
      });
      writer.kill();
      expect(r.signal, `${command} was killed: it waited for the pipe`).toBeNull();
      const out = JSON.parse(r.stdout) as { summary?: { resources: number }; resources?: unknown[] };
      if (command === 'scan') expect(out.summary?.resources).toBe(1);
      else expect(out.resources).toHaveLength(1);
    }
  }, 40_000);
});
