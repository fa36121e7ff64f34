// Worker-thread entry: compiles the dictionary it is given once, then audits the ranges it is sent, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { compilePolicy, type PolicyInput } from '../../dictionary/policy.js';
import { arnMasker } from '../../pii/arn-mask.js';
import { createAuditor } from '../../rules/engine.js';
import { auditRange } from './range-audit.js';
import { transferablesOf, type RangeTask } from './range-result.js';
import { systemErrorText } from './system-error-text.js';

const port = parentPort;
if (!port) throw new Error('range-worker.js runs as a worker thread');
const policy = compilePolicy((workerData as { policy: PolicyInput }).policy);
const auditor = createAuditor(policy);
// The main thread's JSON sink masks with arnMasker of the same settings: both write the same bytes.
const arnMask = arnMasker(policy.pii);

port.on('message', (task: RangeTask) => {
  try {
    const result = auditRange(task, auditor, arnMask);
    port.postMessage({ ok: true, result }, transferablesOf(result));
  } catch (err) {
    port.postMessage({ ok: false, index: task.index, message: systemErrorText(err) });
  }
});
