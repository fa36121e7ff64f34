import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** A moto_server process this test started, and how to reach it. */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Environment that points the AWS SDK (and tagaudit) at this server. */
  readonly env: Record<string, string>;
  readonly logFile: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const MISSING = "moto_server is not installed: pip install 'moto[server]'";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitReady(endpoint: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`moto_server did not answer within 30 s; see ${logFile}`);
}

/** Starts `python3 -m moto.server` on a free loopback port; stop() kills exactly that process. */
export async function startMoto(name = 'moto'): Promise<MotoServer> {
  if (spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status !== 0) throw new Error(MISSING);
  const logDir = join(process.cwd(), '.tmp', 'moto-logs');
  mkdirSync(logDir, { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const logFile = join(logDir, `${name}-${port}.log`);
    const fd = openSync(logFile, 'a');
    const env = { ...process.env };
    delete env.MOTO_ACCOUNT_ID;
    const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', fd, fd],
      env,
    });
    closeSync(fd);
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitReady(endpoint, child, logFile);
    } catch (err) {
      lastError = err;
      child.kill('SIGKILL');
      continue;
    }
    return {
      endpoint,
      port,
      logFile,
      env: {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_SESSION_TOKEN: 'testing',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        NODE_NO_WARNINGS: '1',
      },
      async reset() {
        const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
        if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
      },
      stop() {
        return new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        });
      },
    };
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
