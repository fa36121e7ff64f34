import { describe, it, expect } from 'vitest';
import { displayPath, maskNameText } from '../../../src/report/display-path.js';

describe('displayPath: a user-given path as reports and messages show it', () => {
  it('masks an e-mail address in a file name as redactText masks it', () => {
    expect(displayPath('inv/jane.doe@example.com.jsonl')).toBe('inv/j***@*******.c*m.jsonl');
    expect(displayPath('inv/bad-jane.doe@example.com.jsonl')).not.toContain('jane.doe');
  });

  it.each([
    ['inv/4111111111111111.jsonl', '4111111111111111'],
    ['y/nope-4111111111111111.yaml', '4111111111111111'],
    ['y/078-05-1120.yaml', '078-05-1120'],
    ['exports/jane-536-22-1234/estate.jsonl', '536-22-1234'],
    ['inv/card-4111-1111-1111-1111.json', '4111-1111-1111-1111'],
    ['/tmp/call-415-555-2671.jsonl', '415-555-2671'],
    // A version, date or counter glued on keeps the digits from reading as one number: each run is tried.
    ['inv/utf16-078-05-1120.json', '078-05-1120'],
    ['inv/v1.2-078-05-1120.yaml', '078-05-1120'],
    ['exports/2024-06-01-4111111111111111.jsonl', '4111111111111111'],
    ['exports/4111111111111111-2024-06-01.jsonl', '4111111111111111'],
  ])('masks a card, SSN or phone number glued to a word or a folder: %s', (path, secret) => {
    const shown = displayPath(path);
    expect(shown).not.toContain(secret);
    // What is around it stays, so the reader still recognises the file.
    expect(shown.slice(-6)).toBe(path.slice(-6));
  });

  it.each([
    'examples/demo-estate.jsonl',
    'inv/111122223333-us-east-1.jsonl',
    'exports/2024-06-01/estate-20240601-101530.jsonl',
    'inventory-v1.2.3.json',
    'exports/estate 2024-06-01 10-15-30.jsonl',
    'exports/run-2024-06-01-10-15-30-123456.jsonl',
    '/work/main/dictionaries/anycompany.yaml',
    'C:\\exports\\estate 2024.json',
    '-',
    '',
  ])('leaves a path with no personal data as given: %j', (path) => {
    expect(displayPath(path)).toBe(path);
  });

  it('gives the same answer when asked again (it remembers the last path)', () => {
    expect(displayPath('a/078-05-1120.yaml')).toBe('a/***-**-1120.yaml');
    expect(displayPath('a/078-05-1120.yaml')).toBe('a/***-**-1120.yaml');
    expect(displayPath('a/b.yaml')).toBe('a/b.yaml');
  });
});

describe('maskNameText', () => {
  it('masks a number judged on its own even behind a dotted host-like prefix', () => {
    expect(maskNameText('jane.doe.example.com/536-22-1234')).toBe('jane.doe.example.com/***-**-1234');
    expect(maskNameText('078-05-1120')).toBe('***-**-1120');
  });

  it('leaves identifiers alone', () => {
    for (const id of ['nightly-ml-prod', 'live/111122223333/us-east-1', 'inventory', 'org/all-accounts']) expect(maskNameText(id)).toBe(id);
  });
});
