import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scanTaggingApi, type TaggingApiClient } from '../../../src/scan/sources/tagging-api.js';
import { splitFilters, SERVICE_TYPES, TAGGING_SERVICES } from '../../../src/scan/sources/tagging-filters.js';
import type { TaggedItem } from '../../../src/scan/types.js';
import { fakeClient, sdkError } from './fake-client.js';

interface Item {
  arn: string;
  type: string;
}

const RES: Item[] = [
  { arn: 'arn:aws:lambda:us-east-1:111122223333:function:a', type: 'lambda:function' },
  { arn: 'arn:aws:sagemaker:us-east-1:111122223333:model/m', type: 'sagemaker:model' },
  { arn: 'arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/c', type: 'sagemaker:endpoint-config' },
  { arn: 'arn:aws:s3:::bucket', type: 's3:bucket' },
];

/** A GetResources that fails whenever a query covers one of `broken` (a type), like moto's SageMaker bug. */
function taggingApi(broken: readonly string[], pageSize = 100) {
  return fakeClient({
    GetResources: (input) => {
      const filters = input.ResourceTypeFilters as string[] | undefined;
      const covers = (type: string) => !filters || filters.includes(type) || filters.includes(type.split(':')[0]!);
      if (broken.some(covers)) return sdkError('InternalServiceException', 500);
      const matching = RES.filter((r) => covers(r.type));
      const start = Number(input.PaginationToken ?? 0);
      const page = matching.slice(start, start + pageSize);
      const next = start + pageSize < matching.length ? String(start + pageSize) : undefined;
      return { ResourceTagMappingList: page.map((r) => ({ ResourceARN: r.arn, Tags: [{ Key: 'k', Value: r.type }] })), PaginationToken: next ?? '' };
    },
  });
}

async function run(client: TaggingApiClient) {
  const items: TaggedItem[] = [];
  const outcome = await scanTaggingApi({ client, beforeCall: async () => undefined, onItem: (i) => void items.push(i), retryPauseMs: 0 });
  return { outcome, arns: [...new Set(items.map((i) => i.arn))].sort() };
}

describe('scanTaggingApi', () => {
  it('pages with 100 resources and 500 tags a page until the token runs out', async () => {
    const client = taggingApi([], 2);
    const { outcome, arns } = await run(client);
    expect(arns).toEqual(RES.map((r) => r.arn).sort());
    expect(client.count('GetResources')).toBe(2);
    expect(client.calls[0]!.input).toMatchObject({ ResourcesPerPage: 100, TagsPerPage: 500 });
    expect(client.calls[1]!.input.PaginationToken).toBe('2');
    expect(outcome).toMatchObject({ complete: true, failures: [] });
    expect(outcome.answers('ec2:instance')).toBe(true);
  });

  it('isolates a failing type by splitting ResourceTypeFilters, and returns everything else', async () => {
    const { outcome, arns } = await run(taggingApi(['sagemaker:endpoint-config']));
    expect(arns).toEqual(RES.filter((r) => r.type !== 'sagemaker:endpoint-config').map((r) => r.arn).sort());
    expect(outcome.complete).toBe(false);
    expect(outcome.unfilteredError).toBeDefined();
    expect(outcome.failures.map((f) => f.filters)).toEqual([['sagemaker:endpoint-config']]);
    expect(outcome.answers('sagemaker:model')).toBe(true);
    expect(outcome.answers('lambda:function')).toBe(true);
    expect(outcome.answers('sagemaker:endpoint-config')).toBe(false);
    // A service outside tagaudit's list is not covered once the unfiltered query is gone.
    expect(outcome.answers('someservice:thing')).toBe(false);
  });

  it('stops splitting when the first service-by-service queries fail like the unfiltered one and none answers: one failure', async () => {
    // A region answering 500 to every call (the acceptance run: 189 gaps and ~480 calls per account-region before).
    const client = fakeClient({ GetResources: () => sdkError('InternalFailure', 500, 'injected') });
    const { outcome } = await run(client);
    expect(outcome.failures).toEqual([{ filters: undefined, error: expect.objectContaining({ name: 'InternalFailure' }), splitFailedAlike: splitFilters(undefined)!.length }]);
    // Its one failure stands for the unfiltered query too: no second gap about it.
    expect(outcome.unfilteredError).toBeUndefined();
    expect(outcome.complete).toBe(false);
    expect(outcome.answers('lambda:function')).toBe(false);
    // The unfiltered query (with its extra round), then the first level of the split, and nothing deeper.
    const top = splitFilters(undefined)!;
    expect(client.count('GetResources')).toBe(2 + top.length);
    expect(client.calls.slice(2).map((c) => c.input.ResourceTypeFilters)).toEqual(top);
  });

  it('stops splitting alike on network errors of every query', async () => {
    const client = fakeClient({ GetResources: () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    const { outcome } = await run(client);
    expect(outcome.failures).toEqual([{ filters: undefined, error: expect.objectContaining({ code: 'ECONNREFUSED' }), splitFailedAlike: splitFilters(undefined)!.length }]);
    expect(client.count('GetResources')).toBe(2 + splitFilters(undefined)!.length);
  });

  it('keeps isolating types when failing ones sit in many service groups but the others answer', async () => {
    const top = splitFilters(undefined)!;
    // One broken service in each of the first four groups, and a broken SageMaker type: several
    // groups fail, but the other groups answer, so the failures are the types' own.
    const broken = [...top.slice(0, 4).map((g) => g[0]!), 'sagemaker:endpoint-config'];
    const { outcome, arns } = await run(taggingApi(broken));
    expect(outcome.failures.map((f) => f.filters).sort()).toEqual(broken.map((b) => [b]).sort());
    expect(outcome.failures.every((f) => f.splitFailedAlike === undefined)).toBe(true);
    expect(outcome.unfilteredError).toBeDefined();
    expect(outcome.answers('sagemaker:model')).toBe(true);
    expect(arns).toContain(RES[1]!.arn);
  });

  it('does not give up when the failing groups answer before the others (the verdict waits for every group)', async () => {
    const top = splitFilters(undefined)!;
    // Three broken services in the first three groups; every successful answer arrives a timer tick after the
    // failures, as on a real network where a long page takes longer than an error.
    const broken = top.slice(0, 3).map((g) => g[0]!);
    const fast = taggingApi(broken);
    const slow: TaggingApiClient = {
      send: async (command) => {
        const out = fast.send(command);
        await out.catch(() => undefined);
        await out.then(() => new Promise((r) => setTimeout(r, 5))).catch(() => undefined);
        return out;
      },
    } as TaggingApiClient;
    const { outcome, arns } = await run(slow);
    expect(outcome.failures.map((f) => f.filters).sort()).toEqual(broken.map((b) => [b]).sort());
    expect(outcome.failures.every((f) => f.splitFailedAlike === undefined)).toBe(true);
    expect(arns).toEqual(RES.map((r) => r.arn).sort());
  });

  it('keeps splitting when a service-by-service query fails differently from the unfiltered one', async () => {
    const client = fakeClient({
      GetResources: (input) => {
        const f = input.ResourceTypeFilters as string[] | undefined;
        if (!f) return sdkError('InternalFailure', 500);
        return f.includes('athena') ? sdkError('ValidationException', 400, 'unsupported') : sdkError('InternalFailure', 500);
      },
    });
    const { outcome } = await run(client);
    expect(outcome.failures.some((f) => f.splitFailedAlike !== undefined)).toBe(false);
    expect(outcome.failures.some((f) => f.filters?.length === 1 && f.filters[0] === 'athena')).toBe(true);
  });

  it('does not split on a permission error: splitting cannot help', async () => {
    const client = fakeClient({ GetResources: () => sdkError('AccessDeniedException', 400) });
    const { outcome } = await run(client);
    expect(client.count('GetResources')).toBe(1);
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]!.filters).toBeUndefined();
    expect(outcome.answers('lambda:function')).toBe(false);
  });

  it('rides out a transient failure with one more round, without splitting or gaps', async () => {
    let calls = 0;
    const inner = taggingApi([]);
    const client = { send: (cmd: never) => (++calls === 1 ? Promise.reject(sdkError('ThrottledException', 400)) : inner.send(cmd)) };
    const { outcome, arns } = await run(client);
    expect(arns).toHaveLength(RES.length);
    expect(outcome).toMatchObject({ complete: true, failures: [] });
    expect(outcome.unfilteredError).toBeUndefined();
  });

  it('starts a query over when its page token expired (valid 15 minutes; single-use on moto), without splitting or gaps', async () => {
    let expired = false;
    const inner = taggingApi([], 2);
    const client = {
      send: (cmd: { input: { PaginationToken?: string } }) => {
        if (cmd.input.PaginationToken && !expired) {
          expired = true;
          return Promise.reject(sdkError('PaginationTokenExpiredException', 400, 'Token does not exist'));
        }
        return inner.send(cmd as never);
      },
    };
    const { outcome, arns } = await run(client as unknown as TaggingApiClient);
    expect(arns).toEqual(RES.map((r) => r.arn).sort());
    expect(outcome).toMatchObject({ complete: true, failures: [] });
    expect(outcome.unfilteredError).toBeUndefined();
  });

  it('gives an isolated type one more round before reporting it', async () => {
    let endpointConfigCalls = 0;
    const inner = taggingApi(['sagemaker:endpoint-config']);
    const client = {
      send: (cmd: { input: { ResourceTypeFilters?: string[] } }) => {
        const f = cmd.input.ResourceTypeFilters;
        if (f?.length === 1 && f[0] === 'sagemaker:endpoint-config' && ++endpointConfigCalls === 2)
          return Promise.resolve({ ResourceTagMappingList: [{ ResourceARN: RES[2]!.arn, Tags: [] }] });
        return inner.send(cmd as never);
      },
    };
    const { outcome, arns } = await run(client as unknown as TaggingApiClient);
    expect(endpointConfigCalls).toBe(2);
    expect(arns).toContain(RES[2]!.arn);
    expect(outcome.failures).toEqual([]);
    expect(outcome.answers('sagemaker:endpoint-config')).toBe(true);
  });
});

describe('splitFilters', () => {
  it('cuts everything into service groups of at most 100, and a group into smaller ones', () => {
    const top = splitFilters(undefined)!;
    expect(top.flat()).toEqual(TAGGING_SERVICES);
    expect(top.length).toBeGreaterThan(1);
    for (const g of top) expect(g.length).toBeLessThanOrEqual(100);
    const group = top[0]!;
    expect(splitFilters(group)!.flat()).toEqual(group);
  });

  it('cuts a listed service into its types, and stops at a single type', () => {
    expect(splitFilters(['sagemaker'])!.flat()).toEqual(SERVICE_TYPES.sagemaker);
    expect(splitFilters(['sagemaker:model'])).toBeUndefined();
    expect(splitFilters(['lambda'])).toBeUndefined();
  });
});

describe('continuation pages and server errors (real SDK client, local HTTP endpoint)', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('re-runs the query from its first page instead of replaying a token after a 5xx', async () => {
    const seen: Array<string | undefined> = [];
    let failedOnce = false;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        const input = JSON.parse(body) as { PaginationToken?: string };
        seen.push(input.PaginationToken);
        if (input.PaginationToken === 'p2' && !failedOnce) {
          failedOnce = true;
          res.writeHead(500, { 'content-type': 'text/html' });
          return res.end('<html>boom</html>');
        }
        const page =
          input.PaginationToken === 'p2'
            ? { ResourceTagMappingList: [{ ResourceARN: RES[1]!.arn, Tags: [] }] }
            : { ResourceTagMappingList: [{ ResourceARN: RES[0]!.arn, Tags: [] }], PaginationToken: 'p2' };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(page));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const client = new ResourceGroupsTaggingAPIClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 3,
    });
    try {
      const { outcome, arns } = await run(client);
      expect(arns).toEqual([RES[0]!.arn, RES[1]!.arn].sort());
      expect(outcome.complete).toBe(true);
      // First page, failing second page (not replayed by the SDK), then the whole listing again.
      expect(seen).toEqual([undefined, 'p2', undefined, 'p2']);
    } finally {
      client.destroy();
    }
  });
});

describe('GetResources under sustained throttling', () => {
  it('waits and asks again, never splitting the query by type', async () => {
    let throttled = 0;
    const inner = taggingApi([]);
    const client = { send: (cmd: never) => (++throttled <= 6 ? Promise.reject(sdkError('ThrottledException', 400)) : inner.send(cmd)) };
    const { outcome, arns } = await run(client);
    expect(arns).toHaveLength(RES.length);
    expect(outcome).toMatchObject({ complete: true, failures: [] });
    expect(outcome.unfilteredError).toBeUndefined();
    expect(throttled).toBe(7);
  });

  it('waits 4, 16 and 64 pauses between throttled rounds, each round running the query from its first page with its own extra try', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      const start = Date.now();
      const sent: { at: number; token: unknown }[] = [];
      const client = { send: (cmd: { input: { PaginationToken?: string } }) => (sent.push({ at: Date.now() - start, token: cmd.input.PaginationToken }), Promise.reject(sdkError('ThrottledException', 400))) };
      const running = scanTaggingApi({ client: client as unknown as TaggingApiClient, beforeCall: async () => undefined, onItem: () => undefined, retryPauseMs: 1000 });
      await vi.runAllTimersAsync();
      const outcome = await running;
      // Each round: a try, the jittered pause (½ of 1 s with random() = 0), one more try; then 4 s, 16 s, 64 s.
      expect(sent.map((c) => c.at)).toEqual([0, 500, 4500, 5000, 21000, 21500, 85500, 86000]);
      expect(sent.every((c) => c.token === undefined)).toBe(true);
      expect(outcome.failures).toHaveLength(1);
      expect(outcome.failures[0]).toMatchObject({ filters: undefined, error: { name: 'ThrottledException' } });
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });

  it('reports one gap for the whole query when throttling never stops, and sends no per-type queries', async () => {
    const calls: (string[] | undefined)[] = [];
    const client = { send: (cmd: { input: { ResourceTypeFilters?: string[] } }) => (calls.push(cmd.input.ResourceTypeFilters), Promise.reject(sdkError('ThrottledException', 400))) };
    const { outcome } = await run(client as unknown as TaggingApiClient);
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]!.filters).toBeUndefined();
    expect(calls.every((f) => f === undefined)).toBe(true);
  });
});
