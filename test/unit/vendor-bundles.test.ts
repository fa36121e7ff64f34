import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as Yaml from '../../src/vendor/yaml.js';
import type * as PhoneNumbers from '../../src/vendor/phone-numbers.js';

// npm test builds first; scripts/bundle-vendor.mjs turns each dist/vendor module into one self-contained file.
const root = resolve(import.meta.dirname, '../..');
const names = readdirSync(join(root, 'src', 'vendor'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));

describe('vendor bundles (dist/vendor)', () => {
  it('exist for every src/vendor module', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(existsSync(join(root, 'dist', 'vendor', `${name}.js`)), `${name}.js: run npm run build`).toBe(true);
  });

  it.each(names)('%s is self-contained: it imports and requires Node built-ins only', (name) => {
    const code = readFileSync(join(root, 'dist', 'vendor', `${name}.js`), 'utf8');
    const specifiers = [...code.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(
      (m) => m[1] ?? m[2]!,
    );
    expect(specifiers.length).toBeGreaterThan(0); // at least the banner's node:module
    expect(specifiers.filter((s) => !isBuiltin(s))).toEqual([]);
  });

  it.each(names)('%s exports what its src/vendor module exports, and the same functions work', async (name) => {
    const source = (await import(pathToFileURL(join(root, 'src', 'vendor', `${name}.ts`)).href)) as Record<string, unknown>;
    const bundled = (await import(pathToFileURL(join(root, 'dist', 'vendor', `${name}.js`)).href)) as Record<string, unknown>;
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(source).sort());
    for (const key of Object.keys(source)) expect(typeof bundled[key], key).toBe(typeof source[key]);
  });

  it('the yaml bundle parses with source positions', async () => {
    const yaml = (await import(pathToFileURL(join(root, 'dist', 'vendor', 'yaml.js')).href)) as typeof Yaml;
    const lines = new yaml.LineCounter();
    const doc = yaml.parseDocument('a: 1\nb:\n  - x\n', { lineCounter: lines });
    expect(doc.toJS()).toEqual({ a: 1, b: ['x'] });
    const seq = doc.get('b');
    expect(yaml.isSeq(seq) && seq.range ? lines.linePos(seq.range[0]) : undefined).toEqual({ line: 3, col: 3 });
  });

  it('the phone-number bundle parses with its full metadata', async () => {
    const phones = (await import(pathToFileURL(join(root, 'dist', 'vendor', 'phone-numbers.js')).href)) as typeof PhoneNumbers;
    const n = phones.parsePhoneNumberFromString('+44 20 7946 0958');
    expect(n?.country).toBe('GB');
    expect(n?.isValid()).toBe(true);
    expect(n?.getType()).toBe('FIXED_LINE'); // types need the "max" metadata
  });
});
