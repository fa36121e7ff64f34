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
});
