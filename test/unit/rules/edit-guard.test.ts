import { describe, expect, it } from 'vitest';
import { editProblem } from '../../../src/rules/edit-guard.js';

// U+2070E, a CJK letter outside the Basic Multilingual Plane: one character for AWS, two UTF-16 units for JavaScript.
const ASTRAL = '\u{2070E}';

describe('editProblem: AWS length limits in characters', () => {
  it('accepts a key of 128 and a value of 256 characters even when they take more UTF-16 units', () => {
    expect(editProblem({ op: 'add', type: 'add-default', key: ASTRAL.repeat(128), value: ASTRAL.repeat(256) })).toBeUndefined();
  });

  it('withholds a key of 129 or a value of 257 characters', () => {
    expect(editProblem({ op: 'add', type: 'add-default', key: ASTRAL.repeat(129), value: 'x' })).toMatch(/longer than 128 characters/);
    expect(editProblem({ op: 'add', type: 'add-default', key: 'k', value: 'v'.repeat(257) })).toMatch(/longer than 256 characters/);
    expect(editProblem({ op: 'set', type: 'normalize-value', key: 'k', expected: 'a', value: ASTRAL.repeat(257) })).toMatch(/longer than 256/);
  });
});
