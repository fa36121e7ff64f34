/**
 * A loopback HTTP proxy in front of moto_server that injects the faults real AWS produces: throttling (a share of
 * requests answered with ThrottlingException / ThrottledException), 5xx, added latency, and AssumeRole refusals for
 * chosen accounts. Faults are decided before forwarding, as AWS rejects a throttled request before processing it.
 * It counts requests by operation and stops itself (stop(), or when the test process exits).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { prng } from '../../scripts/prng.mjs';

export interface FaultProxyOptions {
  /** moto's endpoint, e.g. http://127.0.0.1:5000 */
  readonly target: string;
  /** Share of requests answered with a throttling error (0–1). */
  readonly throttleShare?: number;
  /** Share of requests answered with HTTP 500 (0–1). */
  readonly errorShare?: number;
  /** Added latency per request: fixed, or uniformly drawn from [min, max] ms. */
  readonly latencyMs?: number | readonly [number, number];
  /** Operations never faulted (they are still counted). */
  readonly spare?: (operation: string) => boolean;
  /** Accounts whose sts:AssumeRole is refused with AccessDenied. */
  readonly denyAssumeRoleFor?: readonly string[];
  /** PRNG seed, so a run's faults are reproducible. */
  readonly seed?: number;
  /**
   * Regions (from the SigV4 credential scope) whose requests are accepted and never answered: a firewalled or
   * blackholed regional endpoint. Counted as `silenced`.
   */
  readonly silentRegions?: readonly string[];
}

export interface OperationCounts {
  requests: number;
  throttled: number;
  failed: number;
  denied: number;
  silenced: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** `base` with AWS_ENDPOINT_URL pointing at the proxy. */
  env(base: Readonly<Record<string, string>>): Record<string, string>;
  /** By operation (`GetResources`, `ListModels`, `AssumeRole`, `GET /bucket` …). */
  counts(): Record<string, OperationCounts>;
  stop(): Promise<void>;
}


type Protocol = 'json' | 'query' | 'rest';

/** The AWS operation a request calls, and the wire protocol to answer a fault in. */
export function operationOf(req: Pick<IncomingMessage, 'headers' | 'method' | 'url'>, body: string): { operation: string; protocol: Protocol } {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return { operation: target.slice(target.lastIndexOf('.') + 1), protocol: 'json' };
  const url = new URL(req.url ?? '/', 'http://proxy');
  const action = url.searchParams.get('Action') ?? new URLSearchParams(body).get('Action');
  if (action) return { operation: action, protocol: 'query' };
  return { operation: `${req.method} /${url.pathname.split('/')[1] ?? ''}`, protocol: 'rest' };
}

/** The region a request is signed for: `Credential=AKID/20240601/eu-west-1/tag/aws4_request`. */
export function regionOf(req: Pick<IncomingMessage, 'headers'>): string {
  const auth = req.headers.authorization;
  return (typeof auth === 'string' && /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1]) || '';
}

function answer(res: ServerResponse, protocol: Protocol, status: number, code: string, message: string): void {
  if (protocol === 'query') {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code });
  res.end(JSON.stringify({ __type: code, message }));
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = prng(options.seed ?? 42);
  const target = new URL(options.target);
  const counts = new Map<string, OperationCounts>();
  const sockets = new Set<Socket>();
  const denied = new Set(options.denyAssumeRoleFor ?? []);
  const silent = new Set(options.silentRegions ?? []);

  const latency = (): number => {
    const l = options.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return l;
    return l[0] + random() * (l[1] - l[0]);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const { operation, protocol } = operationOf(req, body.toString('utf8'));
      const c = counts.get(operation) ?? { requests: 0, throttled: 0, failed: 0, denied: 0, silenced: 0 };
      counts.set(operation, c);
      c.requests++;
      if (silent.has(regionOf(req))) {
        c.silenced++;
        return; // the socket stays open, unanswered, until the client gives up or stop()
      }
      const forward = (): void => {
        const upstream = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => {
          if (!res.headersSent) answer(res, protocol, 502, 'BadGateway', 'upstream unreachable');
          else res.destroy();
        });
        upstream.end(body);
      };
      setTimeout(() => {
        if (operation === 'AssumeRole' && denied.size) {
          const roleArn = new URLSearchParams(body.toString('utf8')).get('RoleArn') ?? '';
          const account = roleArn.split(':')[4] ?? '';
          if (denied.has(account)) {
            c.denied++;
            return answer(res, protocol, 403, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
          }
        }
        if (!options.spare?.(operation)) {
          const roll = random();
          const throttle = options.throttleShare ?? 0;
          if (roll < throttle) {
            c.throttled++;
            const code = operation === 'GetResources' ? 'ThrottledException' : protocol === 'query' ? 'Throttling' : 'ThrottlingException';
            return answer(res, protocol, protocol === 'rest' ? 429 : 400, code, 'Rate exceeded');
          }
          if (roll < throttle + (options.errorShare ?? 0)) {
            c.failed++;
            return answer(res, protocol, 500, 'InternalFailure', 'injected server error');
          }
        }
        forward();
      }, latency());
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    env: (base) => ({ ...base, AWS_ENDPOINT_URL: endpoint }),
    counts: () => Object.fromEntries([...counts.entries()].map(([k, v]) => [k, { ...v }])),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
