import { describe, expect, it } from 'vitest';
import { newKeysOf, TagSlots } from '../../../src/rules/tag-slots.js';

describe('TagSlots', () => {
  it('hands out the slots under 50 user tags, and says why one is refused', () => {
    const slots = new TagSlots(48);
    expect(slots.fits(2)).toBe(true);
    expect(slots.fits(3)).toBe(false);
    expect(slots.take(3)).toBe(false);
    expect(slots.reason).toBe('the resource already carries 48 of 50 user tags');
    expect(slots.take(1)).toBe(true);
    expect(slots.take(1)).toBe(true);
    expect(slots.take(1)).toBe(false);
    expect(slots.reason).toBe('the resource carries 48 of 50 user tags and its other fixes take the room left');
  });

  it('has none at or over the limit', () => {
    expect(new TagSlots(50).fits(1)).toBe(false);
    expect(new TagSlots(50).fits(0)).toBe(true);
    expect(new TagSlots(51).take(0)).toBe(false);
  });

  it('counts one slot per new key: adds and rename targets, not sets or removes', () => {
    expect(
      newKeysOf([
        { op: 'add', type: 'add-default', key: 'a', value: '1' },
        { op: 'rename', type: 'rename-key', from: 'B', to: 'b', expected: '2', value: '2' },
        { op: 'set', type: 'normalize-value', key: 'c', expected: 'x', value: 'y' },
        { op: 'remove', type: 'pii-remove', key: 'd', expected: 'z' },
      ]),
    ).toBe(2);
    expect(newKeysOf([])).toBe(0);
  });
});
