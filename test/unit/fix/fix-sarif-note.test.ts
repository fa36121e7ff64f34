import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { workspace } from './command-fixture.js';

const NOTE = 'tagaudit: every inventory scan gets SARIF category "inventory"; give each job its own with --sarif-category, or one upload closes the alerts of another\n';

describe('fix --output-sarif from an inventory', () => {
  it('says, as scan does, that every inventory scan shares one SARIF category unless --sarif-category names one', async () => {
    const { dir, inventory, dictionary } = workspace();
    const fix = (extra: string[]) => runCli(['fix', '-d', dictionary, '-i', inventory, ...extra], { cwd: dir });

    const shared = await fix(['--output-sarif', 'audit.sarif']);
    expect(shared.code).toBe(1);
    expect(shared.stderr.split(NOTE)).toHaveLength(2); // once
    expect(existsSync(join(dir, 'audit.sarif'))).toBe(true);

    // The same words as scan, from the same function.
    const scan = await runCli(['scan', '-d', dictionary, '-i', inventory, '--output-sarif', 'scan.sarif'], { cwd: dir });
    expect(scan.stderr).toContain(NOTE);

    expect((await fix(['--output-sarif', 'named.sarif', '--sarif-category', 'team-a'])).stderr).not.toContain(NOTE);
    expect((await fix(['--output-json', 'audit.json'])).stderr).not.toContain(NOTE);
    expect((await fix(['--output-sarif', 'quiet.sarif', '--quiet'])).stderr).not.toContain(NOTE);
  });
});
