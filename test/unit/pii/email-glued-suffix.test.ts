import { describe, expect, it } from 'vitest';
import { arnMasker } from '../../../src/pii/arn-mask.js';
import { detectPii } from '../../../src/pii/detect.js';
import { maskedExcerpt } from '../../../src/pii/excerpt.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { redactText } from '../../../src/pii/redact.js';

// Acceptance s11 finding 1: an address with text glued on after it ("jane.doe@example.com:primary", "…com-x") was
// not detected, so it was printed in full and `fix --fix-pii remove` planned to rename its tag instead.
const ADDRESS = 'jane.doe@example.com';
const emails = (key: string, value: string): string[] => detectPii(key, value).filter((h) => h.kind === 'email').map((h) => h.match);

describe('an address followed by whatever is glued on after it', () => {
  const SUFFIXES = [
    ':', ':x', ':primary', ':8080', ':8080x', ': primary', '-x', '-primary', '--x', '-2024', '/team', ';x', ')', ']', '>', ',x', '|x', '?x',
    '#x', '=x', "'", '"', '`', '@x', '.', '..', '.x', '.2024', '_x', '\u00a0x', '\u3000', ' x', '!x', '~', '$', '%', '^', '&x',
    '*', '+x', '[x]', '{x}', '\\x', ':8080/admin',
  ];
  it.each(SUFFIXES)('finds exactly the address in "jane.doe@example.com%s"', (suffix) => {
    expect(emails('anycompany:workload:name', ADDRESS + suffix)).toEqual([ADDRESS]);
    expect(emails('notes', `see ${ADDRESS}${suffix} today`)).toEqual([ADDRESS]);
  });

  it.each([
    ['owner', ':jane.doe@example.com', ADDRESS],
    ['owner', 'mailto:jane.doe@example.com:primary', ADDRESS],
    ['owner', 'x:jane.doe@example.com-x', ADDRESS],
    ['owner', 'JANE.DOE@EXAMPLE.COM:PRIMARY', 'JANE.DOE@EXAMPLE.COM'],
    ['owner', 'ops@example.com:primary', 'ops@example.com'],
    ['owner', 'finops@anycompany.com-old', 'finops@anycompany.com'],
    ['owner', 'jane.doe@example.de-x', 'jane.doe@example.de'],
    ['owner', 'jane.doe@example.co.uk-old', 'jane.doe@example.co.uk'],
    ['owner', 'jane.doe@acme.io.1', 'jane.doe@acme.io'],
    // a person's mailbox is an address even in the shape of an scp remote, outside login keys
    ['notes', 'jane.doe@example.com:/home/jane', ADDRESS],
    // inside an ARN the colon separates fields: no scp remote there
    ['created-by', 'arn:aws:ec2:us-east-1:jane.doe@example.com:instance/i', ADDRESS],
    ['created-by', 'arn:aws:ec2:us-east-1:ops@example.com:instance/i', 'ops@example.com'],
  ])('%s = %s → %s', (key, value, want) => {
    expect(emails(key, value)).toEqual([want]);
  });

  it.each([
    // scp-style remotes and hosts to log in to (the corpus's decision: not addresses)
    ['repo', 'git@github.com:org/repo.git'],
    ['notes', 'git@github.com:anycompany/ml-platform.git'],
    ['notes', 'deploy@build.example.com:/srv/releases'],
    ['notes', 'deploy@build.example.com:~/releases'],
    ['notes', 'ci_bot@git.example.com:ml/feature-store.git'],
    ['notes', 'svc-deploy@bastion.example.com:2222'],
    ['notes', 'sync to backup@store.example.com:/data/nightly, then verify'],
    ['bastion', 'jane.doe@jump.acme.com:2222'],
    // no '@', or no domain with a top-level name
    ['image', 'registry.example.com:5000/team/image:1.2'],
    ['notes', 'user@host'],
    ['notes', 'user@host-x'],
    ['notes', 'user@host:primary'],
    ['notes', 'admin@db.prod-2'],
    ['notes', 'svc@node.us-east-1'],
    ['notes', 'svc@node.eu-central-1:8080'],
    ['notes', 'app@db.acme.com.internal'],
    ['notes', 'app@db.acme.com.internal-2'],
    ['notes', 'user@build.example.local'],
    ['notes', 'app@orders-db.internal:5432'],
    ['notes', 'root@10.0.0.1'],
    ['notes', 'ops@10.0.0.1:22'],
    ['image', 'training@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['deps', 'pandas@2.2.1-x'],
  ])('not %s = %s', (key, value) => {
    expect(emails(key, value)).toEqual([]);
  });
});

describe('text masking of an address with text glued on', () => {
  const ARN = 'arn:aws:ec2:us-east-1:jane.doe@example.com:instance/i';

  it('masks it in free text, an excerpt and an invalid ARN message', () => {
    for (const text of [`value "${ADDRESS}:primary" is not allowed`, `owner ${ADDRESS}-x`, `invalid ARN "${ARN}" (skipped)`]) {
      const out = redactText(text);
      expect(out).not.toContain('jane.doe');
      expect(out).toContain('j***@e*****e.com');
    }
    expect(maskedExcerpt(ARN, 200)).toBe('arn:aws:ec2:us-east-1:j***@e*****e.com:instance/i');
  });

  it('masks it in an ARN quoted in output', () => {
    const mask = arnMasker(DEFAULT_PII_POLICY);
    expect(mask(`resource ${ARN} is missing tags`)).toBe('resource arn:aws:ec2:us-east-1:j***@e*****e.com:instance/i is missing tags');
    expect(mask('arn:aws:iam::111122223333:user/jane.doe@example.com-x')).toBe('arn:aws:iam::111122223333:user/j***@e*****e.com-x');
  });

  it('leaves an scp remote in a message as it is', () => {
    const text = 'clone git@github.com:anycompany/ml-platform.git failed';
    expect(redactText(text)).toBe(text);
  });
});

describe('the domain cut stays linear', () => {
  it('handles a long run of hyphenated labels and many addresses quickly enough to finish', () => {
    // Not a timing assertion (speed lives under bench/): a quadratic cut would take minutes here, not milliseconds.
    const long = `jane.doe@example.com${'-x'.repeat(50_000)}`;
    expect(emails('notes', long)).toEqual([ADDRESS]);
    const many = Array.from({ length: 500 }, (_, i) => `u${i}.x@host${'-a.b'.repeat(20)}.com-x`).join(' ');
    expect(redactText(many)).not.toMatch(/u\d+\.x@/);
  });
});
