import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addLiveScanOptions, liveOptionsFrom } from '../../../src/cli/live-options.js';
import { UsageError } from '../../../src/errors.js';

const deps = { env: { AWS_REGION: 'eu-west-1' }, now: () => new Date('2024-06-01T12:00:00Z') };

function optionsOf(args: string[]): ReturnType<typeof liveOptionsFrom> {
  const cmd = addLiveScanOptions(new Command('scan').exitOverride());
  cmd.parse(args, { from: 'user' });
  return liveOptionsFrom(cmd.opts(), deps);
}

describe('a blank live flag is an unset variable, not a request for the default', () => {
  it.each([
    ['--role-name', ''],
    ['--role-name', '  '],
    ['--external-id', ''],
    ['--since', ''],
  ])('%s %j is a UsageError', (flag, value) => {
    expect(() => optionsOf([flag, value])).toThrow(UsageError);
    expect(() => optionsOf([flag, value])).toThrow(`${flag} needs a value`);
  });

  it('leaving the flags out still gives the defaults', () => {
    const { scan } = optionsOf([]);
    expect(scan.roleName).toBe('OrganizationAccountAccessRole');
    expect(scan.externalId).toBeUndefined();
  });
});
