import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { runCli } from '../../support/cli.js';
import { applicationTag, costCenterTag, dictionaryYaml, ENV, environmentTag, ownerTag } from '../../support/dictionary-yaml.js';
import { deps, fixOptions, inventoryWorkspace, noClients, type InventoryWorkspace } from '../../support/fix-command.js';
import { MemoryCloud } from './memory-cloud.js';
import { tempDir } from './run.js';

const DICTIONARY = dictionaryYaml(
  'fix-test',
  [
    environmentTag({ aliases: ['env', 'Environment'], accountDefaults: { '111122223333': 'development' } }),
    applicationTag(),
    ownerTag(),
    costCenterTag({ mandatory: false, pattern: '^[0-9]{4}$' }),
    { key: 'anycompany:workload:name', category: 'workload', purpose: 'Name', mandatory: false, costAllocation: false },
  ],
  { prefixed: true },
);
const DICT = join(tempDir(), 'dictionary.yaml');
writeFileSync(DICT, DICTIONARY);
/** The default journal name at deps().now: UTC time to the millisecond, then the process id. */
const DEFAULT_JOURNAL = `tagaudit-journal-20240601T120000.000Z-${process.pid}.jsonl`;
const EMAIL = 'jane.doe@example.com';
const COMPLETE = {
  'anycompany:workload:application-id': 'app-1234',
  'anycompany:finance:owner': 'ml-platform',
  'anycompany:finance:cost-center': '5045',
  'anycompany:workload:name': 'scorer',
};

const RESOURCES = [
  { arn: 'arn:aws:lambda:us-east-1:111122223333:function:a', tags: { ...COMPLETE, env: 'prod' } },
  { arn: 'arn:aws:lambda:us-east-1:111122223333:function:b', tags: { ...COMPLETE, [ENV]: 'Prod' } },
  { arn: 'arn:aws:lambda:us-east-1:111122223333:function:c', tags: { ...COMPLETE } },
  { arn: 'arn:aws:lambda:us-east-1:111122223333:function:d', tags: { ...COMPLETE, [ENV]: 'development', contact: EMAIL } },
];

const workspace = (): InventoryWorkspace => inventoryWorkspace(RESOURCES);

const options = (o: Partial<FixOptions> & { inventory?: string }): FixOptions => fixOptions(DICT, o);

function cloud(): MemoryCloud {
  return new MemoryCloud(Object.fromEntries(RESOURCES.map((r) => [r.arn, { ...r.tags }])));
}

describe('fix: flags', () => {
  const cases: [string[], string][] = [
    [['fix', '--plan', 'p.json', '--inventory', 'x.jsonl'], '--plan cannot be combined with --inventory'],
    [['fix', '--resume', 'j.jsonl', '--fix-pii', 'remove', '--apply', '--yes'], '--resume cannot be combined with --fix-pii'],
    [['fix', '--plan', 'p.json', '--resume', 'j.jsonl'], '--plan and --resume cannot be combined'],
    [['fix', '--inventory', 'missing.jsonl', '--apply'], '--apply needs --yes'],
    [['fix', '--inventory', 'missing.jsonl', '--yes'], '--yes confirms --apply'],
    [['fix', '--inventory', 'missing.jsonl', '--journal', 'j.jsonl'], '--journal records an --apply run'],
    [['fix', '--resume', 'j.jsonl'], '--resume continues writing to AWS: add --apply'],
    [['fix', '--inventory', 'missing.jsonl', '--format', 'sarif'], "argument 'sarif' is invalid. Allowed choices are table, json."],
    [['fix', '--inventory', 'missing.jsonl', '--width', '80'], "unknown option '--width'"],
    [['fix', '--inventory', 'missing.jsonl', '--fix-type', 'pii-remove'], 'PII edits are chosen with --fix-pii'],
    [['fix', '--inventory', 'missing.jsonl', '--fix-type', 'rename'], 'expected a comma-separated list'],
    [['fix', '--plan', 'p.json', '--regions', 'us-east-1'], '--plan cannot be combined with --regions'],
    [['fix', '--inventory', 'x.jsonl', '--accounts', '123456789012'], '--inventory cannot be combined with --accounts'],
    [['fix', '--plan', 'missing.json', '--profile', 'ops'], 'plan file not found'],
    [['undo'], "required option '--journal <file>'"],
    [['undo', '--journal', 'j.jsonl', '--apply'], '--apply needs --yes'],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')} → exit 2 before any work`, async () => {
      const { code, stderr, stdout } = await runCli(argv, { cwd: tempDir() });
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stdout).toBe('');
    });
  }
});

describe('fix: dry run', () => {
  it('shows every change as before → after, grouped by resource, with a summary; writes nothing; exit 1', async () => {
    const { dir, inventory } = workspace();
    const { code, stdout } = await runCli(['fix', '--dictionary', DICT, '--inventory', inventory, '--fix-pii', 'remove'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toContain('arn:aws:lambda:us-east-1:111122223333:function:a  (111122223333 us-east-1 lambda:function)');
    expect(stdout).toContain(`rename-key+normalize-value  env="prod" → ${ENV}="production"`);
    expect(stdout).toContain(`normalize-value             ${ENV}="Prod" → ${ENV}="production"`);
    expect(stdout).toContain(`add-default                 (no ${ENV}) → ${ENV}="development"`);
    expect(stdout).toContain('pii-remove                  contact="j***@e*****e.com" → (removed)');
    expect(stdout).toMatch(
      /Plan \(dry run; nothing written — add --apply\): 4 resources to change, 4 edits \(add-default 1, normalize-value 1, pii-remove 1, rename-key\+normalize-value 1\); 0 conflicts; 0 skipped\n$/,
    );
    expect(stdout).not.toContain(EMAIL);
  });

  it('--plan-out saves a plan with expected tags (PII masked); --plan shows it again; a clean estate exits 0', async () => {
    const { dir, inventory } = workspace();
    expect((await runCli(['fix', '-d', DICT, '-i', inventory, '--plan-out', 'plan.json', '--fix-pii', 'redact'], { cwd: dir })).code).toBe(1);
    const text = readFileSync(join(dir, 'plan.json'), 'utf8');
    expect(text).not.toContain(EMAIL);
    const plan = JSON.parse(text);
    expect(plan.kind).toBe('tagaudit-fix-plan');
    expect(plan.resources[0].expectedTags).toContainEqual({ key: 'env', value: 'prod' });
    const again = await runCli(['fix', '-d', DICT, '--plan', 'plan.json'], { cwd: dir });
    expect(again.stdout).toContain(`rename-key+normalize-value  env="prod" → ${ENV}="production"`);

    writeFileSync(join(dir, 'clean.jsonl'), JSON.stringify({ arn: RESOURCES[0]!.arn, tags: { ...COMPLETE, [ENV]: 'production' } }) + '\n');
    const clean = await runCli(['fix', '-d', DICT, '-i', 'clean.jsonl'], { cwd: dir });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('0 resources to change');
  });

  it('--format json prints the plan itself', async () => {
    const { dir, inventory } = workspace();
    const { stdout } = await runCli(['fix', '-d', DICT, '-i', inventory, '--format', 'json', '--fix-type', 'rename-key'], { cwd: dir });
    const plan = JSON.parse(stdout);
    expect(plan.fixTypes).toEqual(['rename-key']);
    expect(plan.resources.map((r: { arn: string }) => r.arn)).toEqual([RESOURCES[0]!.arn]);
  });

  it('a bad plan file is reported at file:line:col, exit 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{\n  "kind": "tagaudit-fix-plan",\n  "version": 1,\n  "createdAt": 5\n}\n');
    const bad = await runCli(['fix', '--plan', 'bad.json'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json:4:16: "createdAt" must be a string (at createdAt)');
    writeFileSync(join(dir, 'broken.json'), '{\n  "kind": \n}');
    const broken = await runCli(['fix', '--plan', 'broken.json'], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json:3:1: invalid JSON/);
  });
});

describe('fix --apply / undo (in-memory AWS)', () => {
  it('without a terminal, prints the ways out of an interrupted run with the --yes they need there', async () => {
    const { dir, inventory } = workspace();
    const c = cloud();
    const d = deps(dir);
    await runFix(options({ inventory, apply: true, yes: true }), d, { clients: noClients, backend: c.backend() });
    const journal = join(dir, DEFAULT_JOURNAL);
    expect(d.err.text()).toContain(`finish: tagaudit fix --resume ${journal} --apply --yes; undo: tagaudit undo --journal ${journal} --apply --yes)`);
  });

  it('asks on a terminal; anything but yes applies nothing', async () => {
    const { dir, inventory } = workspace();
    const c = cloud();
    const d = deps(dir, { interactive: true, prompt: async () => 'n' });
    const code = await runFix(options({ inventory, apply: true }), d, { clients: noClients, backend: c.backend() });
    expect(code).toBe(0);
    expect(c.writes()).toEqual([]);
    expect(d.err.text()).toContain('not applied');
  });

  it('applies with a journal, re-reads, re-audits; the exit code reflects what is still wrong', async () => {
    const { dir, inventory } = workspace();
    const c = cloud();
    const d = deps(dir, { interactive: true, prompt: async () => 'yes' });
    const code = await runFix(options({ inventory, apply: true, fixPii: 'remove' }), d, { clients: noClients, backend: c.backend() });
    expect(d.err.text()).toContain(`tagaudit: journal: ${join(dir, DEFAULT_JOURNAL)}`);
    // Said before the first write, so an interrupted run (Ctrl-C) knows both ways out.
    expect(d.err.text()).toContain(`tagaudit fix --resume ${join(dir, DEFAULT_JOURNAL)} --apply;`);
    expect(existsSync(join(dir, DEFAULT_JOURNAL))).toBe(true);
    expect(d.out.text()).toContain('Applied: 4 resources: 4 written, 0 already at the planned tags, 0 drifted, 0 failed, 0 unread');
    expect(d.out.text()).toContain('Verified: 4 of 4 resources re-read at the planned tags; 0 findings remain on them');
    expect(code).toBe(0);
    expect(c.tags.get(RESOURCES[0]!.arn)).toEqual({ ...COMPLETE, [ENV]: 'production' });
    expect(d.out.text() + d.err.text()).not.toContain(EMAIL);

    // Undo: dry run first, then apply; everything is back as it was.
    const dryRun = deps(dir);
    expect(await runUndo({ journal: DEFAULT_JOURNAL, apply: false, yes: false, format: 'table', quiet: false }, dryRun, { clients: noClients, backend: c.backend() })).toBe(1);
    expect(dryRun.out.text()).toContain(`rename-key       ${ENV}="production" → (removed)`);
    expect(dryRun.out.text()).not.toContain(EMAIL);
    const u = deps(dir);
    const undoCode = await runUndo({ journal: DEFAULT_JOURNAL, apply: true, yes: true, format: 'table', quiet: false }, u, {
      clients: noClients,
      backend: c.backend(),
    });
    expect(undoCode).toBe(0);
    expect(c.snapshot()).toEqual(Object.fromEntries(RESOURCES.map((r) => [r.arn, r.tags])));
    expect(u.out.text() + u.err.text()).not.toContain(EMAIL);
  });

  it('exit 1 when a resource drifted; never overwritten', async () => {
    const { dir, inventory } = workspace();
    const c = cloud();
    c.tags.get(RESOURCES[1]!.arn)![ENV] = 'staging';
    const d = deps(dir);
    const code = await runFix(options({ inventory, apply: true, yes: true }), d, { clients: noClients, backend: c.backend() });
    expect(code).toBe(1);
    expect(c.tags.get(RESOURCES[1]!.arn)![ENV]).toBe('staging');
    expect(d.out.text()).toContain(`${RESOURCES[1]!.arn}  drifted (not written): tag ${ENV} holds neither its planned start nor its planned end value`);
  });

  it('--resume without --yes asks on a terminal too; anything but yes writes nothing', async () => {
    const { dir, inventory } = workspace();
    const c = cloud();
    c.hook = (call) => (call.arns.includes(RESOURCES[2]!.arn) ? { [RESOURCES[2]!.arn]: { code: 'AccessDeniedException', message: 'denied' } } : undefined);
    expect(await runFix(options({ inventory, apply: true, yes: true, journal: 'j.jsonl' }), deps(dir), { clients: noClients, backend: c.backend() })).toBe(3);
    c.hook = undefined;
    const written = c.writes().length;
    const asked: string[] = [];
    const no = deps(dir, { interactive: true, prompt: async (q) => (asked.push(q), 'n') });
    expect(await runFix(options({ resume: 'j.jsonl', apply: true }), no, { clients: noClients, backend: c.backend() })).toBe(0);
    expect(asked).toEqual([expect.stringMatching(/^Resume: apply .* \[y\/N\] $/)]);
    expect(c.writes().length).toBe(written);
    expect(no.err.text()).toContain('not applied');
    const yes = deps(dir, { interactive: true, prompt: async () => 'y' });
    expect(await runFix(options({ resume: 'j.jsonl', apply: true }), yes, { clients: noClients, backend: c.backend() })).toBe(0);
    expect(c.writes().length).toBeGreaterThan(written);
  });

  it('exit 3 when a write failed', async () => {
    const { dir, inventory } = workspace();
    const c = cloud();
    c.hook = (call) => (call.arns.includes(RESOURCES[2]!.arn) ? { [RESOURCES[2]!.arn]: { code: 'AccessDeniedException', message: 'denied' } } : undefined);
    const code = await runFix(options({ inventory, apply: true, yes: true }), deps(dir), { clients: noClients, backend: c.backend() });
    expect(code).toBe(3);
  });
});
