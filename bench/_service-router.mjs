// A loopback router for bench/live-scan.mjs: one endpoint (AWS_ENDPOINT_URL) that forwards each request, by AWS
// service, to one of several moto_server processes, optionally after a fixed delay (as _latency-proxy.mjs). On AWS,
// SageMaker, Config and the Tagging API are separate fleets; one moto_server serves them all from one Python process
// (GIL), so SageMaker list calls slow GetResources pages down there. With SageMaker (and Config) on a second
// moto_server, the two no longer share a server process.
//
// Accounts: moto maps a request to an account by its access key, and keys are known only to the moto that issued
// them (AssumeRole). The router learns key → account from the AssumeRole answers of the key-issuing backend passing
// through it (the caller's static keys are given), and names the account with moto's `x-moto-account-id` header on
// every request it forwards to another backend. An unknown key there is refused (403), never guessed.
//
// S3: AWS's ListBuckets answer carries each bucket's BucketRegion; moto 5 leaves it out. With `bucketRegion` on, the
// router adds it (looked up once per bucket from moto with GetBucketLocation, then cached), so a client sees the
// shape AWS returns. It can be switched at run time (POST /__router/bucket-region/on|off).
//
// Runs in a process of its own (startServiceRouter spawns it), so its CPU time is not the benchmark client's and can
// be read from /proc. GET /__router/stats: requests by backend and operation, with the time the backend took (from
// forwarding the request to the end of the answer), summed, and a trace of every request (backend, operation,
// account, region; epoch ms when it arrived, was forwarded after the delay, and was answered); POST /__router/reset
// clears both.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import { fileURLToPath, URLSearchParams } from 'node:url';
import { setTimeout } from 'node:timers';
import { performance } from 'node:perf_hooks';

/** The AWS service of a request: the SigV4 credential scope, else the X-Amz-Target prefix. */
export function serviceOf(headers) {
  const scope = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
  if (scope) return scope[1];
  const target = headers['x-amz-target'] ?? '';
  if (target.startsWith('SageMaker.')) return 'sagemaker';
  if (target.startsWith('StarlingDoveService.')) return 'config';
  if (target.startsWith('ResourceGroupsTaggingAPI_')) return 'tagging';
  return 'unknown';
}

/** The access key id a request is signed with. */
export function accessKeyOf(headers) {
  return /Credential=([^/,\s]+)\//.exec(headers.authorization ?? '')?.[1];
}

/** The operation name: X-Amz-Target's, the query protocol's Action, or the S3 calls the bench cares about. */
export function operationOf(service, method, url, headers, body) {
  const target = headers['x-amz-target'];
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  const form = (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  if (form) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action');
    if (action) return action;
  }
  if (service === 's3') {
    const u = new URL(url, 'http://x');
    if (method === 'GET' && u.pathname === '/') return 'ListBuckets';
    if (method === 'GET' && u.searchParams.has('location')) return 'GetBucketLocation';
  }
  return `${service} ${method}`;
}

/** Learns key → account from an AssumeRole answer (XML of the query protocol, or JSON). */
export function credentialsIn(answer) {
  const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(answer)?.[1] ?? /"AccessKeyId"\s*:\s*"([^"]+)"/.exec(answer)?.[1];
  const account = /arn:[^:]+:sts::(\d{12}):assumed-role\//.exec(answer)?.[1];
  return key && account ? { key, account } : undefined;
}

/** GetBucketLocation's LocationConstraint → region (empty = us-east-1, EU = eu-west-1). */
function regionOfLocation(xml) {
  const c = /<LocationConstraint[^>]*>([^<]*)<\/LocationConstraint>/.exec(xml)?.[1] ?? '';
  if (!c) return 'us-east-1';
  return c === 'EU' ? 'eu-west-1' : c;
}

function runRouter(config) {
  const backends = new Map(Object.entries(config.backends).map(([name, url]) => [name, new URL(url)]));
  const agents = new Map([...backends.keys()].map((name) => [name, new Agent({ keepAlive: true, maxSockets: 256 })]));
  const routeOf = (service) => config.routes[service] ?? config.routes.default;
  const keyAccounts = new Map(Object.entries(config.callerKeys ?? {}));
  const bucketRegions = new Map();
  let bucketRegion = !!config.bucketRegion;
  let stats = {};
  let trace = [];
  const clock = () => performance.timeOrigin + performance.now();
  const count = (name, op, ms) => {
    const s = (stats[`${name} ${op}`] ??= { n: 0, ms: 0, maxMs: 0 });
    s.n++;
    s.ms += ms;
    s.maxMs = Math.max(s.maxMs, ms);
  };

  /** Sends one request to a backend; resolves with status, headers and the whole body. */
  const send = (name, method, path, headers, body) =>
    new Promise((resolve, reject) => {
      const b = backends.get(name);
      const up = request({ host: b.hostname, port: b.port, method, path, headers: { ...headers, host: b.host }, agent: agents.get(name) }, (r) => {
        const chunks = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }));
        r.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  const regionOfBucket = async (name, headers) => {
    let pending = bucketRegions.get(name);
    if (!pending) {
      pending = send(config.keyIssuer, 'GET', `/${encodeURIComponent(name)}?location`, { authorization: headers.authorization ?? '', 'x-amz-date': headers['x-amz-date'] ?? '' })
        .then((r) => (r.status === 200 ? regionOfLocation(r.body.toString('utf8')) : undefined))
        .catch(() => {
          bucketRegions.delete(name); // asked again next time; this answer goes without
          return undefined;
        });
      bucketRegions.set(name, pending);
    }
    return pending;
  };

  /** Adds <BucketRegion> to a ListBuckets answer that has none, as AWS answers. */
  const withBucketRegions = async (xml, headers) => {
    if (xml.includes('<BucketRegion>')) return xml;
    const names = [...xml.matchAll(/<Bucket>\s*<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
    const regions = new Map(await Promise.all(names.map(async (n) => [n, await regionOfBucket(n, headers)])));
    return xml.replace(/<Bucket>\s*<Name>([^<]+)<\/Name>([\s\S]*?)<\/Bucket>/g, (whole, name, rest) => {
      const r = regions.get(name);
      return r ? `<Bucket><Name>${name}</Name>${rest}<BucketRegion>${r}</BucketRegion></Bucket>` : whole;
    });
  };

  const control = (req, res) => {
    const json = (x) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(x));
    };
    if (req.url === '/__router/stats') return json({ ops: stats, trace, keys: keyAccounts.size, bucketRegion });
    if (req.url === '/__router/reset') {
      stats = {};
      trace = [];
      return json({ ok: true });
    }
    const m = /^\/__router\/bucket-region\/(on|off)$/.exec(req.url ?? '');
    if (m) {
      bucketRegion = m[1] === 'on';
      return json({ bucketRegion });
    }
    res.writeHead(404);
    res.end();
  };

  const handle = async (req, res, body, arrived) => {
    const service = serviceOf(req.headers);
    const name = routeOf(service);
    const op = operationOf(service, req.method, req.url, req.headers, body);
    const headers = { ...req.headers };
    if (name !== config.keyIssuer) {
      const key = accessKeyOf(req.headers);
      const account = key ? keyAccounts.get(key) : undefined;
      if (!account) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'UnrecognizedClientException', message: `service router: access key ${key} was not issued through it` }));
        return;
      }
      headers['x-moto-account-id'] = account;
    }
    const t0 = performance.now();
    const forwarded = clock();
    const r = await send(name, req.method, req.url, headers, body);
    count(name, op, performance.now() - t0);
    const key = accessKeyOf(req.headers);
    trace.push({
      backend: name,
      op,
      account: (key && keyAccounts.get(key)) ?? '?',
      region: /Credential=[^/,\s]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '?',
      arrived,
      forwarded,
      answered: clock(),
    });
    let out = r.body;
    const plain = !r.headers['content-encoding'];
    if (name === config.keyIssuer && op === 'AssumeRole' && r.status === 200 && plain) {
      const learned = credentialsIn(out.toString('utf8'));
      if (learned) keyAccounts.set(learned.key, learned.account);
    }
    if (bucketRegion && service === 's3' && op === 'ListBuckets' && r.status === 200 && plain) {
      const t1 = performance.now();
      out = Buffer.from(await withBucketRegions(out.toString('utf8'), req.headers), 'utf8');
      count(name, 'ListBuckets (BucketRegion added)', performance.now() - t1);
    }
    const h = { ...r.headers };
    if (out !== r.body) h['content-length'] = String(out.length);
    res.writeHead(r.status, h);
    res.end(out);
  };

  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/__router/')) return control(req, res);
    const arrived = clock();
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => {
        handle(req, res, Buffer.concat(chunks), arrived).catch((err) => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`service router: ${err?.message ?? err}`);
        });
      }, config.latencyMs ?? 0),
    );
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
  // The parent holds our stdin: when it goes away (exit, crash, kill), so do we.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => process.exit(0));
}

/**
 * Starts the router in a child process. `backends`: name → moto endpoint; `routes`: service (SigV4 scope name:
 * sagemaker, config, tagging, sts, s3 …) → backend name, `default` for the rest; `keyIssuer`: the backend whose
 * AssumeRole answers issue the keys; `callerKeys`: static access key id → account. Resolves with the endpoint, the
 * pid (for its CPU time), stats(), reset(), setBucketRegion(on) and stop().
 */
export async function startServiceRouter({ backends, routes, keyIssuer, callerKeys, latencyMs = 0, bucketRegion = false }) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, SERVICE_ROUTER_CONFIG: JSON.stringify({ backends, routes, keyIssuer, callerKeys, latencyMs, bucketRegion }) },
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const onData = (c) => {
      out += c;
      const m = /listening (\d+)/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`service router exited with ${code}`)));
    setTimeout(() => reject(new Error('service router did not start')), 10_000).unref();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const call = async (path, method = 'GET') => (await globalThis.fetch(`${endpoint}${path}`, { method })).json();
  return {
    endpoint,
    pid: child.pid,
    stats: () => call('/__router/stats'),
    reset: () => call('/__router/reset', 'POST'),
    setBucketRegion: (on) => call(`/__router/bucket-region/${on ? 'on' : 'off'}`, 'POST'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runRouter(JSON.parse(process.env.SERVICE_ROUTER_CONFIG ?? '{}'));
