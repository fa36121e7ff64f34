import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCli, type CliRunResult } from './cli.js';
import { startMoto, type MotoServer } from './moto.js';

/** A moto_server of its own and a scratch directory for one integration test file. */
export interface MotoWorkspace {
  readonly moto: MotoServer;
  /** Where the CLI runs; it holds dictionary.yaml when the file gave one. */
  readonly dir: string;
  /** Runs `tagaudit <argv>` in-process in `dir`, pointed at moto (or with `env` instead). */
  cli(argv: readonly string[], env?: Readonly<Record<string, string>>): Promise<CliRunResult>;
  /** The path of a file in `dir`. */
  path(name: string): string;
  /** The text of a file in `dir`. */
  read(name: string): string;
  exists(name: string): boolean;
}

/**
 * Starts moto_server (named `name` in its log) and makes a scratch directory before the file's tests, writing
 * `dictionary` there as dictionary.yaml; stops that server and removes the directory after them. The fields are
 * there from the file's first beforeAll on (register this one first).
 */
export function useMotoWorkspace(name: string, dictionary?: string): MotoWorkspace {
  let moto: MotoServer | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    moto = await startMoto(name);
    dir = mkdtempSync(join(tmpdir(), `tagaudit-${name}-`));
    if (dictionary !== undefined) writeFileSync(join(dir, 'dictionary.yaml'), dictionary);
  });
  afterAll(async () => {
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the moto workspace's ${what} is there only once its beforeAll ran`);
    return value;
  };
  const workspace: MotoWorkspace = {
    get moto() {
      return ready(moto, 'server');
    },
    get dir() {
      return ready(dir, 'directory');
    },
    cli: (argv, env) => runCli(argv, { env: env ?? workspace.moto.env, cwd: workspace.dir }),
    path: (file) => join(workspace.dir, file),
    read: (file) => readFileSync(join(workspace.dir, file), 'utf8'),
    exists: (file) => existsSync(join(workspace.dir, file)),
  };
  return workspace;
}

/**
 * Starts moto_server before the file's tests and stops it after them, for files that need no directory. What it
 * returns stands for that server once the beforeAll ran.
 */
export function useMoto(name: string): MotoServer {
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    moto = await startMoto(name);
  });
  afterAll(async () => {
    await moto?.stop();
  });
  const server = (): MotoServer => {
    if (!moto) throw new Error('moto is there only once its beforeAll ran');
    return moto;
  };
  return {
    get endpoint() {
      return server().endpoint;
    },
    get port() {
      return server().port;
    },
    get env() {
      return server().env;
    },
    get logFile() {
      return server().logFile;
    },
    reset: () => server().reset(),
    stop: () => server().stop(),
  };
}
