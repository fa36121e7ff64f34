import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Policy, PolicyInput } from '../../dictionary/policy.js';
import { arnMasker } from '../../pii/arn-mask.js';
import { createAuditor } from '../../rules/engine.js';
import { PACKAGE_ROOT } from '../../version.js';
import { auditRange } from './range-audit.js';
import type { RangeResult, RangeTask } from './range-result.js';

/** Audits ranges somewhere: worker threads, or (tests, one thread) in this one. */
export interface RangePool {
  readonly size: number;
  run(task: RangeTask): Promise<RangeResult>;
  /** Gives back a result's `json` buffer once its bytes are written, to be reused for a later range. */
  recycle(buffer: ArrayBuffer): void;
  close(): Promise<void>;
}

/** The compiled worker entry. Workers always run the build (dist/), also when the caller runs from sources. */
const WORKER_ENTRY = new URL('dist/audit/parallel/range-worker.js', PACKAGE_ROOT);

export function workerEntryAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_ENTRY));
}

/** What a worker needs to rebuild the same Policy (plain data: RegExps and Sets survive structured cloning). */
export function policyInputOf(policy: Policy): PolicyInput {
  return {
    path: policy.path,
    sha256: policy.sha256,
    name: policy.name,
    description: policy.description,
    conventions: policy.conventions,
    ruleSeverity: policy.ruleSeverity,
    piiSeverity: policy.piiSeverity,
    pii: policy.pii,
    tags: policy.tags,
    suppressions: policy.suppressions,
  };
}

type Reply = { ok: true; result: RangeResult } | { ok: false; index: number; message: string };

interface Job {
  readonly task: RangeTask;
  resolve(result: RangeResult): void;
  reject(err: Error): void;
}

/** `size` worker threads, each auditing one range at a time; tasks queue until a worker is free. */
export function workerPool(size: number, policy: Policy): RangePool {
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const spares: ArrayBuffer[] = [];
  let failure: Error | undefined;

  const dispatch = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      busy.set(worker, job);
      const spare = spares.pop();
      if (spare) worker.postMessage({ ...job.task, spare }, [spare]);
      else worker.postMessage(job.task);
    }
  };
  const fail = (err: Error): void => {
    failure ??= err;
    for (const job of [...busy.values(), ...queue.splice(0)]) job.reject(failure);
    busy.clear();
  };

  const workers: Worker[] = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(WORKER_ENTRY, { workerData: { policy: policyInputOf(policy) } });
    worker.on('message', (reply: Reply) => {
      const job = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      if (!job) return;
      if (reply.ok) job.resolve(reply.result);
      else job.reject(new Error(`auditing ${job.task.display} (bytes ${job.task.range.start}–${job.task.range.end}): ${reply.message}`));
      dispatch();
    });
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`an audit worker thread stopped (exit code ${code})`));
    });
    workers.push(worker);
    idle.push(worker);
  }

  return {
    size,
    recycle(buffer) {
      if (spares.length < size + 1 && buffer.byteLength > 0) spares.push(buffer);
    },
    run(task) {
      if (failure) return Promise.reject(failure);
      return new Promise<RangeResult>((resolve, reject) => {
        queue.push({ task, resolve, reject });
        dispatch();
      });
    },
    async close() {
      failure ??= new Error('the audit workers were closed');
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The same work on the calling thread (one range at a time): what the worker threads do, without them. */
export function inThreadPool(policy: Policy): RangePool {
  const auditor = createAuditor(policy);
  const arnMask = arnMasker(policy.pii);
  let spare: ArrayBuffer | undefined;
  return {
    size: 1,
    recycle: (buffer) => void (spare = buffer),
    run: async (task) => {
      const given = spare;
      spare = undefined;
      return auditRange(given ? { ...task, spare: given } : task, auditor, arnMask);
    },
    close: async () => undefined,
  };
}
