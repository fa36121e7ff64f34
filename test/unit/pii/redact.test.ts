import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { makeRedactor, redactText } from '../../../src/pii/redact.js';
import { loadCorpus } from './corpus.js';

describe('makeRedactor', () => {
  it('is the same identity function when there is nothing to redact', () => {
    const a = makeRedactor([]);
    const b = makeRedactor([]);
    expect(a).toBe(b);
    expect(a('jane@example.com')).toBe('jane@example.com');
  });

  it('replaces every occurrence, case-insensitively, each masked as it is written', () => {
    const hits = detectPii('owner', 'Jane.Doe@Example.com');
    const r = makeRedactor(hits);
    expect(r('owner "Jane.Doe@Example.com" differs from "jane.doe@example.com"')).toBe('owner "J***@E*****e.com" differs from "j***@e*****e.com"');
  });

  it('masks the whole tag value around the match and its JSON, URL and digits-only spellings', () => {
    const value = 'Escalation: call +1 (206) 555-0142 "after hours"';
    const hits = detectPii('notes', value);
    expect(hits.map((h) => h.kind)).toEqual(['phone']);
    const r = makeRedactor(hits);
    const outputs = [value, JSON.stringify({ value }), encodeURIComponent(value), 'normalised to +12065550142', `csv,"${value.replace(/"/g, '""')}"`];
    for (const o of outputs) {
      const red = r(o);
      expect(red).not.toContain('555-0142');
      expect(red).not.toContain('2065550142');
      expect(red).not.toContain('%20(206)%20555');
    }
  });

  it('redacts key and value hits together', () => {
    const hits = detectPii('jane.doe@example.com', 'Wei Zhang');
    expect(hits.map((h) => `${h.kind}@${h.where}`)).toEqual(['email@key', 'person-name@value']);
    expect(makeRedactor(hits)('jane.doe@example.com = Wei Zhang')).toBe('j***@e*****e.com = W*** Z***');
  });

  it('leaves no raw PII in any rendering of a PII-laden corpus tag', () => {
    for (const e of loadCorpus().filter((x) => x.expect.length > 0)) {
      const hits = detectPii(e.key, e.value);
      const r = makeRedactor(hits);
      const renderings = [
        `${e.key}=${e.value}`,
        JSON.stringify({ tag: { key: e.key, value: e.value } }),
        JSON.stringify({ message: `Tag "${e.key}" value "${e.value}" contains PII` }, null, 2),
        `"${e.key.replace(/"/g, '""')}","${e.value.replace(/"/g, '""')}"`,
        `| ${e.key} | ${e.value} |`,
        encodeURIComponent(e.value),
        e.value.toUpperCase(),
      ];
      for (const text of renderings) {
        const red = r(text);
        for (const h of hits) {
          expect(red.toLowerCase(), `line ${e.line} ${h.kind}`).not.toContain(h.match.toLowerCase());
        }
      }
    }
  });
});

describe('redactText: account ids are not phone numbers', () => {
  const id = '334999237568';
  it('leaves an account id the message shows as such, even beside a phone-context word like "call"', () => {
    const text = `User is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${id}:role/Audit [let the caller call it, or leave the account out with --exclude-accounts ${id}]`;
    expect(redactText(text)).toBe(text);
    expect(redactText(`could not call account ${id}`)).toBe(`could not call account ${id}`);
  });

  it('still masks a phone number and an e-mail address in the same message', () => {
    const text = `arn:aws:iam::${id}:user/x: call +1 206 555 0142 or jane.doe@example.com`;
    const out = redactText(text);
    expect(out).toContain(`arn:aws:iam::${id}:user/x`);
    expect(out).not.toContain('555 0142');
    expect(out).not.toContain('jane.doe@');
  });
});
