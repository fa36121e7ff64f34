import { describe, expect, it } from 'vitest';
import { ErrorLog } from '../../../src/audit/error-log.js';
import type { ScanError } from '../../../src/report/types.js';

const EMAIL = 'jane.doe@example.com';

describe('ErrorLog', () => {
  it('masks PII an AWS error message quotes, in what it keeps and what it echoes', () => {
    const seen: ScanError[] = [];
    const log = new ErrorLog(10, (e) => seen.push(e));
    log.add({ source: 'sagemaker', accountId: '111122223333', region: 'us-east-1', code: 'ValidationException', message: `Value '${EMAIL}' at 'tags.1.member.value' failed to satisfy constraint` });
    expect(JSON.stringify(log.list())).not.toContain(EMAIL);
    expect(JSON.stringify(seen)).not.toContain(EMAIL);
    expect(log.list()[0]!.message).toContain("at 'tags.1.member.value' failed to satisfy constraint");
    expect(log.list()[0]).toMatchObject({ source: 'sagemaker', accountId: '111122223333', region: 'us-east-1', code: 'ValidationException' });
  });

  it('masks every field of a gap, not only its message: a gap read from an inventory file holds whatever the file says', () => {
    const log = new ErrorLog(10);
    log.add({ source: EMAIL, accountId: EMAIL, region: '078-05-1120', code: '4111111111111111', message: 'x' });
    const text = JSON.stringify(log.list());
    for (const raw of [EMAIL, '078-05-1120', '4111111111111111']) expect(text).not.toContain(raw);
  });
});
