import { describe, it, expect } from 'vitest';
import { renderSarif, type SarifLog } from '../../../src/report/sarif.js';
import { checkGithubSarif, uriScheme } from '../../support/github-sarif-rules.js';
import { makeReport } from './fixtures.js';
import { sarifSchemaErrors } from './validators.js';

// The checker guards every SARIF test; it must itself reject what GitHub rejects.

function good(): SarifLog {
  return structuredClone(renderSarif(makeReport()));
}

type Mutable = Record<string, unknown> & { runs: Array<Record<string, unknown> & { results: Array<Record<string, unknown>> }> };

function mutate(edit: (log: Mutable) => void): unknown {
  const log = good() as unknown as Mutable;
  edit(log);
  return log;
}

type PhysicalLocation = { artifactLocation: { uri: string }; region?: unknown };
const result0 = (log: Mutable): Record<string, unknown> => log.runs[0]!.results[0]!;
const location0 = (log: Mutable): PhysicalLocation => (result0(log).locations as { physicalLocation: PhysicalLocation }[])[0]!.physicalLocation;
const rule0 = (log: Mutable) => (log.runs[0]!.tool as { driver: { rules: Record<string, unknown>[] } }).driver.rules[0]!;

describe('checkGithubSarif', () => {
  it('accepts what tagaudit renders', () => {
    expect(checkGithubSarif(good())).toEqual([]);
  });

  it.each([
    [
      'an ARN as the uri',
      (l: Mutable) => void (location0(l).artifactLocation.uri = 'arn:aws:s3:::bucket'),
      /scheme "arn" did not match the checkout URI scheme "file"/,
    ],
    [
      'an https uri',
      (l: Mutable) => void (location0(l).artifactLocation.uri = 'https://console.aws.amazon.com/x'),
      /scheme "https"/,
    ],
    ['an empty message', (l: Mutable) => void (result0(l).message = { text: '' }), /message\.text: missing or empty/],
    ['a blank message', (l: Mutable) => void (result0(l).message = { text: '   ' }), /message\.text: missing or empty/],
    ['no fingerprints', (l: Mutable) => void delete result0(l).partialFingerprints, /partialFingerprints: missing/],
    ['empty fingerprints', (l: Mutable) => void (result0(l).partialFingerprints = {}), /partialFingerprints: missing/],
    ['an empty fingerprint value', (l: Mutable) => void (result0(l).partialFingerprints = { 'tagaudit/v1': '' }), /partialFingerprints\.tagaudit\/v1: empty/],
    ['no location', (l: Mutable) => void (result0(l).locations = []), /locations: missing/],
    [
      'no region',
      (l: Mutable) => void delete location0(l).region,
      /region: missing/,
    ],
    [
      'an empty uri',
      (l: Mutable) => void (location0(l).artifactLocation.uri = ''),
      /uri: missing or empty/,
    ],
    ['a wrong ruleIndex', (l: Mutable) => void (result0(l).ruleIndex = 99), /ruleIndex: 99 does not name a rule/],
    ['an empty rule id', (l: Mutable) => void (rule0(l).id = ''), /rules\[0\]\.id: missing or empty/],
    ['an empty short description', (l: Mutable) => void (rule0(l).shortDescription = { text: '' }), /shortDescription\.text: missing or empty/],
    ['a missing full description', (l: Mutable) => void delete rule0(l).fullDescription, /fullDescription\.text: missing or empty/],
    ['a description over 1024 chars', (l: Mutable) => void (rule0(l).fullDescription = { text: 'x'.repeat(1025) }), /1025 chars; at most 1024/],
    ['no help text', (l: Mutable) => void (rule0(l).help = { text: '', markdown: 'm' }), /help\.text: missing or empty/],
    ['a word as security-severity', (l: Mutable) => void (rule0(l).properties = { 'security-severity': 'high' }), /must be a numeric string/],
    ['a number as security-severity', (l: Mutable) => void (rule0(l).properties = { 'security-severity': 8 }), /must be a numeric string/],
    ['security-severity above 10', (l: Mutable) => void (rule0(l).properties = { 'security-severity': '11.0' }), /outside 0\.\.10/],
    ['21 tags on a rule', (l: Mutable) => void (rule0(l).properties = { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }), /21 tags; at most 20/],
    ['a wrong version', (l: Mutable) => void (l.version = '2.0.0'), /version: must be "2\.1\.0"/],
    ['no $schema', (l: Mutable) => void delete l.$schema, /\$schema: missing/],
    ['an empty tool name', (l: Mutable) => void ((l.runs[0]!.tool as { driver: { name: string } }).driver.name = ''), /driver\.name: missing or empty/],
    ['21 runs', (l: Mutable) => void (l.runs = Array.from({ length: 21 }, () => l.runs[0]!)), /21 runs; at most 20/],
    [
      'over 25,000 results',
      (l: Mutable) => void (l.runs[0]!.results = Array.from({ length: 25_001 }, () => l.runs[0]!.results[0]!)),
      /25001 results; at most 25000/,
    ],
  ])('rejects %s', (_name, edit, problem) => {
    const problems = checkGithubSarif(mutate(edit));
    expect(problems.join('\n')).toMatch(problem);
  });

  it('finds URI schemes the way a URI parser does', () => {
    expect(uriScheme('arn:aws:s3:::b')).toBe('arn');
    expect(uriScheme('file:///x')).toBe('file');
    expect(uriScheme('aws/123/us-east-1/s3/bucket/b')).toBeUndefined();
    expect(uriScheme('aws/x/arn%3Aaws')).toBeUndefined();
  });

  it('the official schema catches what the GitHub checker does not look at', () => {
    expect(sarifSchemaErrors(good())).toEqual([]);
    expect(sarifSchemaErrors(mutate((l) => void (result0(l).level = 'critical')))).not.toEqual([]);
    expect(sarifSchemaErrors(mutate((l) => void (result0(l).partialFingerprints = { a: 1 })))).not.toEqual([]);
  });
});
