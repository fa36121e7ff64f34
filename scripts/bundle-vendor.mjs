#!/usr/bin/env node
// Replaces each dist/vendor/*.js (tsc's output of src/vendor/*.ts: re-exports of a package's parts that tagaudit uses)
// with one self-contained file holding those parts, so that loading them costs Node one module instead of dozens
// (libphonenumber-js is ~90 files, yaml ~70: together about 60 ms of every command's start, and of every worker
// thread's). Runs after tsc (`npm run build`); tests that import src/ use the packages as they are.
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'dist', 'vendor');

for (const name of readdirSync(vendor).filter((f) => f.endsWith('.js'))) {
  const file = join(vendor, name);
  const result = await build({
    entryPoints: [file],
    outfile: file,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    // CommonJS packages inside an ES module bundle still call require() for Node built-ins.
    banner: { js: "import { createRequire as __vendorRequire } from 'node:module'; const require = __vendorRequire(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs).length;
  console.log(`bundle-vendor: ${relative(root, file)} from ${inputs} modules`);
}
