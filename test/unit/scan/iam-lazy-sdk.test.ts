import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Every module a file loads at import time (value imports and re-exports, not `import type` nor `await import()`),
 * followed through relative paths; returns the packages they load.
 */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(resolve(ROOT, entry));
  return packages;
}

describe('loading @aws-sdk/client-iam (a few hundred milliseconds cold)', () => {
  it.each(['src/scan/live-scan.ts', 'src/scan/slice-scan.ts', 'src/scan/runner.ts', 'src/fix/aws-backend.ts', 'src/fix/apply.ts', 'src/fix/verify.ts'])(
    '%s does not load it at import time (only the IAM pass and IAM writes do, on first use)',
    (entry) => {
      const loaded = packagesLoadedBy(entry);
      expect(loaded.size).toBeGreaterThan(0);
      expect([...loaded].filter((p) => p.startsWith('@aws-sdk/client-iam'))).toEqual([]);
    },
  );

  it('the walk sees a static import of the SDK where there is one', () => {
    expect(packagesLoadedBy('src/scan/sources/iam.ts')).toContain('@aws-sdk/client-iam');
  });
});
