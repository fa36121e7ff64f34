import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Failures the machine here cannot produce on demand (a bind-mounted file, a folder the user may not write to as
// root) are injected into node:fs; everything else is real.
const injected = vi.hoisted(() => ({ rename: undefined as string | undefined, createTemp: undefined as string | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const fail = (code: string) => Object.assign(new Error(code), { code });
  return {
    ...real,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      if (injected.rename) throw fail(injected.rename);
      return real.renameSync(from, to);
    },
    openSync: (path: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
      if (injected.createTemp && String(path).endsWith('.tmp')) throw fail(injected.createTemp);
      return real.openSync(path, flags, mode);
    },
  };
});

const { openOutputFile } = await import('../../../src/report/output-file.js');

const dir = fs.mkdtempSync(join(tmpdir(), 'tagaudit-output-file-'));
const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
afterEach(() => {
  injected.rename = undefined;
  injected.createTemp = undefined;
});

function write(path: string, text: string): void {
  const file = openOutputFile(path);
  fs.writeSync(file.fd, text);
  file.commit();
}

describe('openOutputFile', () => {
  it.each(['EBUSY', 'EXDEV'])('copies the report in when the target cannot be renamed over (%s: a bind-mounted file)', (code) => {
    const path = join(dir, `mounted-${code}.json`);
    fs.writeFileSync(path, 'old');
    injected.rename = code;
    write(path, 'new report');
    expect(fs.readFileSync(path, 'utf8')).toBe('new report');
    expect(leftovers()).toEqual([]);
  });

  it('other rename failures are errors, and leave the old file and no temporary one', () => {
    const path = join(dir, 'rename-fails.json');
    fs.writeFileSync(path, 'old');
    injected.rename = 'EIO';
    expect(() => write(path, 'new')).toThrow('EIO');
    expect(fs.readFileSync(path, 'utf8')).toBe('old');
    expect(leftovers()).toEqual([]);
  });

  it('writes a writable file in place when its folder takes no new file', () => {
    const path = join(dir, 'shared-report.json');
    fs.writeFileSync(path, 'a longer old report');
    injected.createTemp = 'EACCES';
    write(path, 'new');
    expect(fs.readFileSync(path, 'utf8')).toBe('new');
  });

  it('a new file in a folder that takes no new file is still an error', () => {
    injected.createTemp = 'EACCES';
    expect(() => openOutputFile(join(dir, 'new-report.json'))).toThrow('EACCES');
  });

  it('a symlink to a file not created yet: a report creates the file it leads to; a 0600 file replaces the link', () => {
    fs.mkdirSync(join(dir, 'links'));
    const reportLink = join(dir, 'links/report-link.json');
    fs.symlinkSync('report-target.json', reportLink);
    const report = openOutputFile(reportLink, { throughDanglingLink: true });
    fs.writeSync(report.fd, 'report');
    report.commit();
    expect(fs.lstatSync(reportLink).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(join(dir, 'links/report-target.json'), 'utf8')).toBe('report');

    const secretLink = join(dir, 'links/plan-link.json');
    fs.symlinkSync('plan-target.json', secretLink);
    const plan = openOutputFile(secretLink, { mode: 0o600 });
    fs.writeSync(plan.fd, 'plan');
    plan.commit();
    expect(fs.lstatSync(secretLink).isFile()).toBe(true);
    expect(fs.statSync(secretLink).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(join(dir, 'links/plan-target.json'))).toBe(false);
  });

  it('removes its temporary file when the process is interrupted, then dies of the signal', () => {
    const target = join(dir, 'interrupted.json');
    const module = resolve(import.meta.dirname, '../../../dist/report/output-file.js');
    const script = `
      const { writeSync } = await import('node:fs');
      const { openOutputFile } = await import(${JSON.stringify(module)});
      const file = openOutputFile(${JSON.stringify(target)});
      writeSync(file.fd, 'half a report');
      process.kill(process.pid, 'SIGINT');
      await new Promise((r) => setTimeout(r, 5000));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.signal).toBe('SIGINT');
    expect(fs.existsSync(target)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
