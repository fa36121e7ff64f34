import { describe, it, expect } from 'vitest';
import { isBareSecretShape } from '../../../src/pii/aws-keys.js';
import { detectPii } from '../../../src/pii/detect.js';
import { redactText } from '../../../src/pii/redact.js';
import { runCli } from '../../support/cli.js';

// A secret access key pasted into a flag comes back in the error message: in prose, a 40-character token with both
// cases, a digit and a '/' or '+' is masked even with no "secret" cue beside it. A value that is the token alone
// still needs a cue (it may be a cache key or an opaque id), and digests and paths are left alone.

const AWS_EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const RANDOM_SECRET = 'L7WrApjKDxPSFAp6GP3L4NiCrZsRfLqKlT52+sNa';

describe('secret-key-shaped tokens in messages', () => {
  it('masks one quoted in an error message', () => {
    const message = `--regions: not an AWS region name: "${AWS_EXAMPLE_SECRET}" (e.g. us-east-1)`;
    const masked = redactText(message);
    expect(masked).toBe(`--regions: not an AWS region name: "${'*'.repeat(36)}EKEY" (e.g. us-east-1)`);
    expect(redactText(`could not use ${RANDOM_SECRET} here`)).not.toContain(RANDOM_SECRET);
  });

  it('echoes a flag value holding one masked (scan --regions)', async () => {
    const r = await runCli(['scan', '--regions', AWS_EXAMPLE_SECRET]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not an AWS region name');
    expect(r.stderr).not.toContain('wJalrXUtnFEMI');
    expect(r.stderr).not.toContain('bPxRfiCY');
  });

  it.each([
    ['a git commit (lower-case hex SHA-1)', 'build 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 failed'],
    ['an upper-case hex SHA-1', 'digest 2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12 differs'],
    ['a base64 SHA-256 (44 characters, padded)', 'checksum 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= mismatch'],
    ['a base64 SHA-1 (28 characters)', 'etag L9ThxnotKPzthJ7hu3bnORuT6xI= changed'],
    ['40 characters without / or +', 'id AbCdEf0123456789AbCdEf0123456789AbCdEf01 unknown'],
    ['a path with words in it', 'cannot read models/2024/Run7/checkpoint/Fold3/Xb9Q12 now'],
    ['a path starting at a separator', 'cannot read /Models/2024/Run7/Ckpt/Fold3/Xb9Q/Zz12Ab now'],
    ['an S3 URI', 'copied to s3://ml/Ab12Cd/Ef34Gh/Ij56Kl/Mn78Op/Qr9StUv today'],
    ['a UUID and an ARN', 'request 0f8fad5b-d9cb-469f-a165-70867728950e on arn:aws:sagemaker:us-east-1:111122223333:model/Ab12'],
  ])('leaves %s alone', (_label, text) => {
    expect(redactText(text)).toBe(text);
  });

  it('still leaves a tag value that is the token alone, with no cue, unflagged', () => {
    expect(detectPii('cache', RANDOM_SECRET).map((h) => h.kind)).not.toContain('aws-secret-key');
    expect(detectPii('token-hint', AWS_EXAMPLE_SECRET).map((h) => h.kind)).not.toContain('aws-secret-key');
    // With a cue it was and is a secret key.
    expect(detectPii('aws_secret_access_key', RANDOM_SECRET).map((h) => h.kind)).toContain('aws-secret-key');
  });
});

describe('isBareSecretShape', () => {
  it('wants both cases, a digit and / or +, and no path or word shape', () => {
    expect(isBareSecretShape(AWS_EXAMPLE_SECRET)).toBe(true);
    expect(isBareSecretShape(RANDOM_SECRET)).toBe(true);
    expect(isBareSecretShape('AbCdEf0123456789AbCdEf0123456789AbCdEf01')).toBe(false);
    expect(isBareSecretShape('ABCDEF0123456789/BCDEF0123456789ABCDEF01')).toBe(false);
    expect(isBareSecretShape('abcdef0123456789/bcdef0123456789abcdef01')).toBe(false);
    expect(isBareSecretShape('/bCdEf0123456789AbCdEf0123456789AbCdEf01')).toBe(false);
    expect(isBareSecretShape('Ab/CdEf0123456789AbCdEf0123456789AbCdEf/')).toBe(false);
    expect(isBareSecretShape('Ab//dEf0123456789AbCdEf0123456789AbCdEf0')).toBe(false);
    expect(isBareSecretShape('models/Run7/checkpoint/Fold3/Xb9Q/Zz12Ab')).toBe(false);
  });
});
