/**
 * A child `tagaudit fix --apply` is killed with SIGKILL at chosen points of a large plan. A gate proxy between the
 * child and moto holds the chosen request, the child is killed while it waits, and the held write is then either
 * delivered (it landed, the child never heard) or dropped (it never landed). Each time: nothing is lost, `fix
 * --resume` reaches the fully fixed state, and `undo` restores the original exactly.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP, applicationTag, dictionaryYaml, ENV, environmentTag } from '../support/dictionary-yaml.js';
import { readEstateTags } from '../support/live-tags.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { MANAGEMENT_ACCOUNT, Seeder } from '../support/seed.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/tagaudit');
const BASE = { [APP]: 'app-1234' };
const RENAMES = 45;
const NORMALIZES = 15;
const ADDS = 20;

type Tags = Record<string, string>;

const DICTIONARY = dictionaryYaml(
  'fix-kill',
  [environmentTag({ values: ['development', 'production'], accountDefaults: { [MANAGEMENT_ACCOUNT]: 'development' } }), applicationTag()],
  { prefixed: true },
);

const ws = useMotoWorkspace('fix-kill', DICTIONARY);
const original = new Map<string, Tags>();
const fixedState = new Map<string, Tags>();

async function seed(): Promise<void> {
  await ws.moto.reset();
  await Seeder.using(ws.moto, MANAGEMENT_ACCOUNT, 'us-east-1', async (s) => {
    for (let i = 0; i < RENAMES; i++) await s.lambda(`rename-${i}`, { ...BASE, env: 'prod' });
    for (let i = 0; i < NORMALIZES; i++) await s.lambda(`normalize-${i}`, { ...BASE, [ENV]: 'Prod' });
    for (let i = 0; i < ADDS; i++) await s.rdsInstance(`add-${i}`, { ...BASE });
    original.clear();
    for (const r of s.created) if (r.resourceType !== 'iam:role') original.set(r.arn, { ...r.tags }); // the seeder's execution role is out of scope (--sources tagging-api)
  });
}

function liveTags(): Promise<Map<string, Tags>> {
  return readEstateTags(ws.moto, [MANAGEMENT_ACCOUNT], ['us-east-1'], ['lambda:function', 'rds:db']);
}

/** Each resource holds every value it had, under its old or its new key (a duplicate is fine; a loss is not). */
function expectNothingLost(state: Map<string, Tags>): void {
  for (const [arn, before] of original) {
    const now = state.get(arn)!;
    expect(now[APP], arn).toBe(before[APP]);
    if (before.env !== undefined) expect(now.env === 'prod' || now[ENV] === 'production', `${arn} lost env=prod`).toBe(true);
    if (before[ENV] !== undefined) expect(['Prod', 'production'], arn).toContain(now[ENV]);
  }
}

/** Forwards everything to moto except the request it is told to catch, which it holds until told what to do. */
interface Gate {
  readonly endpoint: string;
  /** Resolves when the `nth` request of `operation` arrives (it is held). */
  catchRequest(operation: string, nth: number): Promise<void>;
  /** Delivers the held request to moto (`land`) or drops it. */
  release(land: boolean): Promise<void>;
  stop(): Promise<void>;
}

async function startGate(target: string): Promise<Gate> {
  const upstream = new URL(target);
  const seen = new Map<string, number>();
  let want: { operation: string; nth: number; caught: () => void } | undefined;
  let held: { req: IncomingMessage; body: Buffer } | undefined;
  const forward = (req: IncomingMessage, body: Buffer, onDone: (status: number) => void, pipeTo?: ServerResponse): void => {
    const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (res) => {
      if (pipeTo) {
        pipeTo.writeHead(res.statusCode ?? 502, res.headers);
        res.pipe(pipeTo);
      } else res.resume();
      res.on('end', () => onDone(res.statusCode ?? 0));
    });
    up.on('error', () => pipeTo?.destroy());
    up.end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.lastIndexOf('.') + 1);
      const n = (seen.get(operation) ?? 0) + 1;
      seen.set(operation, n);
      if (want && want.operation === operation && want.nth === n) {
        held = { req, body };
        want.caught();
        want = undefined;
        return; // never answered: the child is killed while waiting
      }
      forward(req, body, () => undefined, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    catchRequest: (operation, nth) => new Promise<void>((caught) => (want = { operation, nth, caught })),
    release: (land) =>
      new Promise<void>((done) => {
        const h = held;
        held = undefined;
        if (!h || !land) return done();
        forward(h.req, h.body, (status) => {
          expect(status).toBe(200);
          done();
        });
      }),
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Runs `tagaudit fix --plan plan.json --apply --yes` as a child and SIGKILLs it when the gate catches the request. */
async function killedRun(operation: string, nth: number, land: boolean): Promise<string> {
  await seed();
  const gate = await startGate(ws.moto.endpoint);
  const journal = join(mkdtempSync(ws.path('run-')), 'fix.jsonl');
  try {
    const child = spawn(process.execPath, [BIN, 'fix', '--plan', ws.path('plan.json'), '--dictionary', ws.path('dictionary.yaml'), '--apply', '--yes', '--journal', journal], {
      cwd: ws.dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ws.moto.env, AWS_ENDPOINT_URL: gate.endpoint },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const caught = gate.catchRequest(operation, nth);
    const outcome = await Promise.race([caught.then(() => 'caught' as const), exited.then(() => 'exited' as const)]);
    if (outcome === 'exited') throw new Error(`the child finished before request ${operation} #${nth} (stderr: ${stderr})`);
    child.kill('SIGKILL');
    await exited;
    await gate.release(land);
  } finally {
    await gate.stop();
  }
  return journal;
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/fix/apply.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  await seed();
  const dry = await ws.cli(['fix', '-d', 'dictionary.yaml', '--regions', 'us-east-1', '--sources', 'tagging-api', '--plan-out', 'plan.json']);
  expect(dry.code).toBe(1);
  expect(JSON.parse(ws.read('plan.json')).resources).toHaveLength(RENAMES + NORMALIZES + ADDS);
  for (const [arn, tags] of original) {
    if (tags.env) fixedState.set(arn, { ...BASE, [ENV]: 'production' });
    else if (tags[ENV]) fixedState.set(arn, { ...BASE, [ENV]: 'production' });
    else fixedState.set(arn, { ...BASE, [ENV]: 'development' });
  }
});

// Renames and normalisations write the same tag (60 resources → 3 TagResources), adds 1 more; the 45 renames
// remove one key (3 UntagResources): 7 write calls in all.
const POINTS: { name: string; operation: string; nth: number; land: boolean }[] = [
  { name: 'while re-reading tags, before any write', operation: 'GetResources', nth: 1, land: false },
  { name: 'first TagResources in flight, never lands', operation: 'TagResources', nth: 1, land: false },
  { name: 'first TagResources lands, answer lost', operation: 'TagResources', nth: 1, land: true },
  { name: 'fourth TagResources lands, answer lost', operation: 'TagResources', nth: 4, land: true },
  { name: 'first UntagResources in flight (all new keys written), never lands', operation: 'UntagResources', nth: 1, land: false },
  { name: 'second UntagResources lands, answer lost', operation: 'UntagResources', nth: 2, land: true },
  { name: 'last UntagResources lands, answer lost', operation: 'UntagResources', nth: 3, land: true },
];

describe('fix --apply killed with SIGKILL (child process, 80 resources, moto)', () => {
  for (const p of POINTS) {
    it(`${p.name}: nothing lost; undo restores the original; resume reaches the fixed state`, async () => {
      // Undo straight from the killed state.
      const first = await killedRun(p.operation, p.nth, p.land);
      expectNothingLost(await liveTags());
      const undone = await ws.cli(['undo', '--journal', first, '--apply', '--yes', '--undo-journal', `${first}.undo`]);
      expect(undone.code, undone.stdout + undone.stderr).toBe(0);
      expect(await liveTags()).toEqual(original);

      // Resume from the killed state, then undo everything.
      const second = await killedRun(p.operation, p.nth, p.land);
      expectNothingLost(await liveTags());
      const resumed = await ws.cli(['fix', '--resume', second, '--dictionary', 'dictionary.yaml', '--apply', '--yes']);
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      expect(await liveTags()).toEqual(fixedState);
      const undoneAll = await ws.cli(['undo', '--journal', second, '--apply', '--yes', '--undo-journal', `${second}.undo`]);
      expect(undoneAll.code, undoneAll.stdout + undoneAll.stderr).toBe(0);
      expect(await liveTags()).toEqual(original);
    });
  }
});
