import { describe, expect, it } from 'vitest';
import { setTag } from '../../../src/inventory/resource.js';

describe('setTag', () => {
  it('keeps a __proto__ key as an own, enumerable tag and leaves the prototype alone', () => {
    const tags: Record<string, string> = {};
    setTag(tags, '__proto__', 'v');
    setTag(tags, 'team', 'ml');
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.entries(tags)).toEqual([
      ['__proto__', 'v'],
      ['team', 'ml'],
    ]);
    setTag(tags, '__proto__', 'w');
    expect(tags['__proto__']).toBe('w');
  });
});
