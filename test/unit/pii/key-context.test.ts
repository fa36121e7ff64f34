import { describe, expect, it } from 'vitest';
import {
  classifyKey,
  K_ADDRESS,
  K_DOB,
  K_EMAIL,
  K_FREETEXT,
  K_NUMERIC,
  K_PASSPORT,
  K_PERSON,
  K_PHONE,
  K_SECRET,
  K_SSN,
  K_VERSION,
  keyWords,
} from '../../../src/pii/key-context.js';

describe('keyWords', () => {
  it.each([
    ['OnCallMobile', ['on', 'call', 'mobile']],
    ['requested-by', ['requested', 'by']],
    ['IPAddress', ['ip', 'address']],
    ['aws:cloudformation:stack-id', ['aws', 'cloudformation', 'stack', 'id']],
    ['dateOfBirth', ['date', 'of', 'birth']],
    ['owner_email', ['owner', 'email']],
  ])('%s', (key, words) => expect(keyWords(key)).toEqual(words));
});

describe('classifyKey', () => {
  const has = (key: string, flag: number): boolean => (classifyKey(key) & flag) !== 0;
  it('recognises what a key says about its value', () => {
    expect(has('Owner', K_PERSON)).toBe(true);
    expect(has('requested-by', K_PERSON)).toBe(true);
    expect(has('CreatedBy', K_PERSON)).toBe(true);
    expect(has('CreatedBy', K_NUMERIC)).toBe(false);
    expect(has('CreatedAt', K_NUMERIC)).toBe(true);
    expect(has('OnCall', K_PHONE)).toBe(true);
    expect(has('emergency-contact', K_PHONE)).toBe(true);
    expect(has('NotifyEmail', K_EMAIL)).toBe(true);
    expect(has('social-security-number', K_SSN)).toBe(true);
    expect(has('dateOfBirth', K_DOB)).toBe(true);
    expect(has('PassportNo', K_PASSPORT)).toBe(true);
    expect(has('home-address', K_ADDRESS)).toBe(true);
    expect(has('ip-address', K_ADDRESS)).toBe(false);
    expect(has('aws-secret-access-key', K_SECRET)).toBe(true);
    expect(has('notes', K_FREETEXT)).toBe(true);
    expect(has('PurchaseOrder', K_NUMERIC)).toBe(true);
    expect(has('cost-center', K_NUMERIC)).toBe(true);
    expect(has('AgentVersion', K_VERSION)).toBe(true);
    expect(has('classname', K_SSN)).toBe(false);
  });
});
