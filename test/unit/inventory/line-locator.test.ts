import { describe, expect, it } from 'vitest';
import { lineColAt, lineLocator } from '../../../src/inventory/json-error.js';

describe('lineLocator', () => {
  it('gives every offset the line and column lineColAt gives, in any order', () => {
    const text = '{\n  "a": 1,\n\n  "b": [\n    2\n  ]\n}\n';
    const locate = lineLocator(text);
    const offsets = [...Array(text.length + 1).keys()];
    for (const o of [...offsets].reverse().concat(offsets)) expect(locate(o)).toEqual(lineColAt(text, o));
  });

  it('handles a text without newlines', () => {
    expect(lineLocator('[1,2,3]')(4)).toEqual({ line: 1, col: 5 });
  });
});
