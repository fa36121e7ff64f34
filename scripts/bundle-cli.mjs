#!/usr/bin/env node
// Bundles what `tagaudit --help` loads (dist/cli/run.js, the modules it imports statically, and commander) into one
// file, dist/cli/run.bundle.js, which bin/tagaudit loads: Node then resolves and reads one module instead of ~25.
// Runs after tsc (`npm run build`) and bundles tsc's output, so the bundle runs exactly the JavaScript tsc emitted.
//
// What stays out, imported from tsc's output under dist/ by a path relative to the bundle:
// - every module the start-up code reaches only through `await import()` (AWS SDK, ajv, rules, ...), so nothing
//   heavy loads before a command runs and those modules keep their own `import.meta.url`;
// - every start-up module the lazily loaded code imports too (e.g. errors.js: main.ts checks `instanceof UsageError`
//   on errors thrown from lazily loaded code), so it exists once, not as a bundled copy and a dist/ copy; except the
//   few in COPY_OK, which hold no state and export nothing compared by identity, so two copies behave as one (each
//   separate file costs ~1 ms of start-up).
// A bundled module that reads `import.meta.url` gets the URL of its own dist/ file.
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const entry = join(dist, 'cli', 'run.js');
const outfile = join(dist, 'cli', 'run.bundle.js');
const outdir = dirname(outfile);

if (!existsSync(entry)) fail(`${relative(root, entry)} is missing: run tsc first (npm run build does)`);

/**
 * Shared with the lazily loaded code, yet copied into the bundle: constants and pure functions only. checkStateless
 * catches classes and state; that no code compares their exports by identity (`types === NON_PII_FIX_TYPES`) is on the
 * reviewer: remove a module from this list rather than add such a comparison.
 */
const COPY_OK = new Set(['cli/exit-codes.js', 'cli/scan-options.js', 'fix/plan.js', 'inventory/region-name.js'].map((f) => join(dist, f)));

const isRelative = (spec) => spec.startsWith('./') || spec.startsWith('../');
const inDist = (path) => path.startsWith(dist + sep);
const relPosix = (path) => relative(root, path).split(sep).join('/');

/** `spec` as the bundle must import it: relative to the bundle's folder for our files, unchanged for packages. */
function specFromBundle(absPath) {
  const rel = relative(outdir, absPath).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * Pass 1 — the start-up graph: every module run.js reaches through static imports (dist files and packages), and the
 * targets of the dynamic imports in it. Nothing is written.
 */
async function startupGraph() {
  const dynamicTargets = new Set();
  const packages = new Set();
  const result = await build({
    ...common(),
    write: false,
    plugins: [
      {
        name: 'startup-graph',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point' || isBuiltin(args.path)) return undefined;
            if (args.kind === 'dynamic-import') {
              if (isRelative(args.path)) dynamicTargets.add(resolve(args.resolveDir, args.path));
              return { path: args.path, external: true };
            }
            if (!isRelative(args.path) && inDist(args.importer)) packages.add(args.path);
            return undefined;
          });
        },
      },
    ],
  });
  const files = new Set(Object.keys(result.metafile.inputs).map((p) => resolve(root, p)).filter(inDist));
  return { files, packages, dynamicTargets };
}

/** Pass 2 — the lazy graph: the dist files and packages reachable from the dynamic-import targets. Nothing is written. */
async function lazyGraph(dynamicTargets) {
  const packages = new Set();
  if (dynamicTargets.size === 0) return { files: new Set(), packages };
  const result = await build({
    ...common(),
    entryPoints: [...dynamicTargets],
    outfile: undefined,
    outdir: join(dist, '.lazy-graph'), // required with several entry points; nothing is written
    write: false,
    plugins: [
      {
        name: 'lazy-graph',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point' || isBuiltin(args.path) || isRelative(args.path)) return undefined;
            if (inDist(args.importer)) packages.add(args.path);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const files = new Set(Object.keys(result.metafile.inputs).map((p) => resolve(root, p)).filter(inDist));
  return { files, packages };
}

/** Pass 3 — the bundle itself. */
async function bundle(keepOut) {
  return build({
    ...common(),
    // Commander is CommonJS: its require() calls of Node built-ins need a real `require` inside an ES module.
    banner: { js: "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);" },
    plugins: [
      {
        name: 'keep-lazy-modules-out',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point' || isBuiltin(args.path)) return undefined;
            if (!isRelative(args.path)) return keepOut.packages.has(args.path) ? { path: args.path, external: true } : undefined;
            const target = resolve(args.resolveDir, args.path);
            if (!inDist(args.importer) || !inDist(target)) return undefined;
            if (args.kind === 'dynamic-import' || keepOut.files.has(target)) return { path: specFromBundle(target), external: true };
            return undefined;
          });
          b.onLoad({ filter: /\.js$/ }, (args) => {
            if (!inDist(args.path)) return undefined;
            return { contents: withOwnImportMetaUrl(args.path, readFileSync(args.path, 'utf8')), loader: 'js' };
          });
        },
      },
    ],
  });
}

/** `import.meta.url` inside the bundle is the bundle's URL; a bundled module needs the URL of its own dist/ file. */
function withOwnImportMetaUrl(file, source) {
  const uses = source.match(/\bimport\.meta\b(\.\w+)?/g) ?? [];
  const other = uses.find((use) => use !== 'import.meta.url');
  if (other) fail(`${relPosix(file)} uses ${other}, which the bundle cannot give it: keep it out of the start-up graph`);
  if (uses.length === 0) return source;
  return source.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(specFromBundle(file))}, import.meta.url).href`);
}

function common() {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'warning',
  };
}

/** Every `import(` left in the bundle must take a plain string: a computed path would resolve from the wrong folder. */
function checkDynamicImports(code) {
  const all = code.match(/\bimport\s*\(/g)?.length ?? 0;
  const literal = code.match(/\bimport\s*\(\s*"[^"]*"\s*\)/g)?.length ?? 0;
  if (all !== literal) fail(`${relPosix(outfile)} has ${all - literal} dynamic import(s) of a computed path`);
}

/**
 * A module in COPY_OK must not declare classes (instanceof across copies fails), symbols, mutable top-level bindings or
 * top-level objects built with `new` (state the copies would not share). tsc writes top-level statements at column 0.
 */
function checkStateless(file) {
  if (!existsSync(file)) fail(`${relPosix(file)} (listed in COPY_OK) does not exist`);
  const source = readFileSync(file, 'utf8');
  const offence = /^(export )?(class|let|var)\b|^(export )?const \w+ = new\b|\bSymbol\(/m.exec(source);
  if (offence) fail(`${relPosix(file)} is listed in COPY_OK but has \`${offence[0]}\`: remove it from COPY_OK`);
}

function fail(message) {
  console.error(`bundle-cli: ${message}`);
  process.exit(1);
}

const startup = await startupGraph();
const lazy = await lazyGraph(startup.dynamicTargets);
for (const file of COPY_OK) checkStateless(file);
const keepOut = {
  files: new Set([...startup.files].filter((f) => lazy.files.has(f) && f !== entry && !COPY_OK.has(f))),
  packages: new Set([...startup.packages].filter((p) => lazy.packages.has(p))),
};
const result = await bundle(keepOut);
checkDynamicImports(readFileSync(outfile, 'utf8'));

const bundled = Object.keys(result.metafile.inputs);
const out = result.metafile.outputs[relPosix(outfile)];
const kept = [...keepOut.files].map(relPosix).concat([...keepOut.packages]);
console.log(
  `bundle-cli: ${relPosix(outfile)} (${((out?.bytes ?? 0) / 1024).toFixed(0)} KiB) from ${bundled.length} modules; ` +
    `${startup.dynamicTargets.size} lazy import targets kept out` +
    (kept.length ? `; shared with the lazy graph, kept out: ${kept.join(', ')}` : ''),
);
