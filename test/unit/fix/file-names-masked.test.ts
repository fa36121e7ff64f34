import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// docs/pii.md, "File names": personal data in a file name the user gave is masked in every message, as in reports.
// The one exception is the journal path in fix --apply's resume and undo hints.

const BASE = readFileSync(new URL('../../../dictionaries/anycompany.yaml', import.meta.url), 'utf8');
const RESOURCE = { arn: 'arn:aws:lambda:us-east-1:111122223333:function:scorer', tags: { env: 'Prod' } };
const PERSON = 'dirk.dir@example.com';
const RAW = /dirk\.dir|078-05-1120|7946 0958/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-file-names-'));
  mkdirSync(join(dir, PERSON));
  writeFileSync(join(dir, PERSON, 'inv.jsonl'), `${JSON.stringify(RESOURCE)}\n`);
  writeFileSync(join(dir, PERSON, 'dict.yaml'), BASE);
  // The same dictionary, changed: a plan made with the first is checked against this one.
  writeFileSync(join(dir, '078-05-1120.yaml'), `${BASE}\n# changed\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runCli(args, { cwd: dir, now: () => new Date('2024-06-01T12:00:00Z') });

describe('file names in fix messages', () => {
  it('plan saved to …, and the note that the plan was made with another dictionary', async () => {
    const saved = await run('fix', '-i', `${PERSON}/inv.jsonl`, '-d', `${PERSON}/dict.yaml`, '--plan-out', `${PERSON}/plan.json`);
    expect(saved.code).toBe(1);
    expect(saved.stderr).toBe('tagaudit: plan saved to d***@e*****e.com/plan.json\n');

    const other = await run('fix', '--plan', `${PERSON}/plan.json`, '-d', '078-05-1120.yaml');
    const sha = (file: string): string => createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
    expect(other.stderr).toBe(
      `tagaudit: ***-**-1120.yaml is not the dictionary the plan was made with (that was d***@e*****e.com/dict.yaml; sha256 ${sha('078-05-1120.yaml')} here, ${sha(`${PERSON}/dict.yaml`)} in the plan): ` +
        "the plan's add-default, normalize-value, inherit and rename values were not checked against it (only for personal data and against the plan's own tags) and are applied as reviewed; the check after applying uses it\n",
    );
    expect(other.stdout).not.toMatch(RAW);
  });

  it('an output file in a missing directory, and a plan file that is not there', async () => {
    const missing = await run('fix', '-i', `${PERSON}/inv.jsonl`, '-d', `${PERSON}/dict.yaml`, '--plan-out', 'plans/+44 20 7946 0958/plan.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tagaudit: \S*plans\/\+44 \*\* \*\*\*\* \*958\/plan\.json: cannot write output file: directory \S*plans\/\+44 \*\* \*\*\*\* \*958 does not exist \(create it first\)\n$/);

    const absent = await run('fix', '--plan', `${PERSON}/y-078-05-1120.json`);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/^tagaudit: \S*d\*\*\*@e\*\*\*\*\*e\.com\/y-\*\*\*-\*\*-1120\.json: plan file not found\n$/);
  });

  it('the note on an expired suppression', async () => {
    const file = join(dir, PERSON, 'expired.yaml');
    writeFileSync(file, `${BASE}\nsuppressions:\n  - rules: [missing-tag]\n    accounts: ["111122223333"]\n    reason: migration\n    expires: "2024-05-31"\n`);
    const r = await run('scan', '-i', `${PERSON}/inv.jsonl`, '-d', `${PERSON}/expired.yaml`, '-f', 'json');
    expect(r.stderr).toMatch(/^tagaudit: d\*\*\*@e\*\*\*\*\*e\.com\/expired\.yaml:\d+: suppression of missing-tag expired on 2024-05-31/m);
    expect(r.stderr).not.toMatch(RAW);
  });
});
