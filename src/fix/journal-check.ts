import { basename } from 'node:path';
import { REGION_PATTERN } from '../inventory/region-name.js';
import { tryParseArn } from '../inventory/arn.js';
import type { ResourceStatus } from './apply.js';
import type { UndoOutcome, WriteApi } from './journal.js';
import { ALL_FIX_TYPES, FIX_PLAN_VERSION } from './plan.js';
import { Invalid } from './plan-file.js';

/*
 * The shape checks of journal records: each record must look exactly as the journal writer writes it, because undo
 * and --resume act on it (an ARN, a region and an account say where to write; tags say what to write). Messages name
 * fields, never values: a journal holds the estate's tag values, and a bad line may hold anything.
 */

type Path = (string | number)[];
type Obj = Record<string, unknown>;

// 'undone' came later: journals written before it simply have none.
const RECORD_TYPES = ['begin', 'plan', 'resume', 'resource', 'call', 'result', 'done', 'end', 'undone'] as const;
// A record over WriteApi: an API added to the type and not here fails to compile.
const WRITE_API_SET: Readonly<Record<WriteApi, true>> = {
  TagResources: true,
  UntagResources: true,
  'sagemaker:AddTags': true,
  'sagemaker:DeleteTags': true,
  'autoscaling:CreateOrUpdateTags': true,
  'autoscaling:DeleteTags': true,
  'iam:TagUser': true,
  'iam:UntagUser': true,
  'iam:TagRole': true,
  'iam:UntagRole': true,
};
const WRITE_APIS = Object.keys(WRITE_API_SET) as WriteApi[];
const UNDO_OUTCOME_SET: Readonly<Record<UndoOutcome, true>> = { started: true, restored: true, partial: true, incomplete: true, error: true };
const UNDO_OUTCOMES = Object.keys(UNDO_OUTCOME_SET) as UndoOutcome[];
const STATUSES: readonly ResourceStatus[] = ['fixed', 'already-fixed', 'drifted', 'failed', 'unread'];
const HEX64 = /^[0-9a-f]{64}$/;
// What Date#toISOString writes.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, key: string, path: Path, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new Invalid([...path, key], `"${key}" must be a string`);
  return v;
}

function arr(o: Obj, key: string, path: Path, optional = false): unknown[] | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (!Array.isArray(v)) throw new Invalid([...path, key], `"${key}" must be an array`);
  return v;
}

function oneOf(o: Obj, key: string, allowed: readonly string[], path: Path): void {
  const v = o[key];
  if (typeof v !== 'string' || !allowed.includes(v)) throw new Invalid([...path, key], `"${key}" must be one of ${allowed.join(', ')}`);
}

function whole(o: Obj, key: string, min: number): void {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Invalid([key], `"${key}" must be a whole number from ${min}`);
}

function time(o: Obj, key: string): void {
  const v = o[key];
  if (typeof v !== 'string' || !ISO_UTC.test(v) || Number.isNaN(Date.parse(v))) throw new Invalid([key], `"${key}" must be an ISO 8601 UTC time`);
}

function arn(v: unknown, path: Path): string {
  if (typeof v !== 'string' || !tryParseArn(v)) throw new Invalid(path, 'not an ARN');
  return v;
}

function digest(o: Obj, path: Path): void {
  const v = o.digest;
  if (v === undefined) return;
  if (!isObject(v) || typeof v.keySha256 !== 'string' || !HEX64.test(v.keySha256) || typeof v.valueSha256 !== 'string' || !HEX64.test(v.valueSha256)) {
    throw new Invalid([...path, 'digest'], '"digest" must be {keySha256, valueSha256} (64 lowercase hex digits each)');
  }
}

/** A RecordedTag: {key, value} (display text), with a digest when it is PII. */
function tag(v: unknown, path: Path): void {
  if (!isObject(v)) throw new Invalid(path, 'a tag must be {key, value}');
  str(v, 'key', path);
  str(v, 'value', path);
  digest(v, path);
}

/** Where a write goes: `accountId` '' is the caller's account, `region` 'global' (or '') a global service's. */
function placement(o: Obj, inArn?: { accountId: string; region: string }): void {
  const accountId = str(o, 'accountId', [])!;
  const region = str(o, 'region', [])!;
  if (accountId !== '' && !/^\d{12}$/.test(accountId)) throw new Invalid(['accountId'], '"accountId" must be a 12-digit AWS account id');
  if (region !== '' && region !== 'global' && !REGION_PATTERN.test(region)) throw new Invalid(['region'], '"region" is not an AWS region name');
  if (!inArn) return;
  if (/^\d{12}$/.test(inArn.accountId) && accountId !== '' && accountId !== inArn.accountId) {
    throw new Invalid(['accountId'], '"accountId" is not the account in the ARN');
  }
  if (inArn.region !== '' && region !== inArn.region) throw new Invalid(['region'], '"region" is not the region in the ARN');
}

function failure(v: unknown): boolean {
  return isObject(v) && typeof v.code === 'string' && typeof v.message === 'string';
}

function checkBegin(r: Obj): void {
  if (r.kind !== 'fix' && r.kind !== 'undo') throw new Invalid(['kind'], '"kind" must be fix or undo');
  time(r, 'at');
  str(r, 'tool', []);
  str(r, 'undoOf', [], true);
  const vault = str(r, 'vault', [])!;
  // A name only: a journal must not send undo to read (or resume to append to) a file elsewhere.
  if (vault === '' || vault === '.' || vault === '..' || vault !== basename(vault) || vault.includes('\0')) {
    throw new Invalid(['vault'], '"vault" must be a file name (the vault lies beside its journal)');
  }
}

/**
 * The frame of the recorded plan. Its edits are not checked here: an undo journal's plan restores (removes keys a fix
 * added, writes PII back), which a --plan file may not; `fix --resume` checks a fix journal's plan like a --plan
 * file before executing it (planOf), and undo reads only its dictionary.
 */
function checkPlanFrame(r: Obj): void {
  const plan = r.plan;
  if (!isObject(plan)) throw new Invalid([], 'a plan must be a JSON object');
  if (plan.kind !== 'tagaudit-fix-plan') throw new Invalid(['kind'], '"kind" must be "tagaudit-fix-plan"');
  if (plan.version !== FIX_PLAN_VERSION) throw new Invalid(['version'], `"version" must be ${FIX_PLAN_VERSION}`);
  str(plan, 'createdAt', []);
  if (!isObject(plan.dictionary)) throw new Invalid(['dictionary'], '"dictionary" must be {path, sha256}');
  str(plan.dictionary, 'path', ['dictionary']);
  str(plan.dictionary, 'sha256', ['dictionary']);
  for (const key of ['fixTypes', 'conflicts', 'skipped']) arr(plan, key, []);
  arr(plan, 'resources', [])!.forEach((p, i) => {
    if (!isObject(p)) throw new Invalid(['resources', i], 'a resource must be an object');
  });
}

function checkResource(r: Obj): void {
  const parsed = tryParseArn(arn(r.arn, ['arn']))!;
  placement(r, parsed);
  // Not checked against the ARN: an inventory file may name the type its own way, and the fix used that name.
  if (str(r, 'resourceType', [])! === '') throw new Invalid(['resourceType'], '"resourceType" must not be empty');
  arr(r, 'before', [])!.forEach((t, i) => tag(t, ['before', i]));
  arr(r, 'changes', [])!.forEach((c, i) => {
    const path: Path = ['changes', i];
    if (!isObject(c)) throw new Invalid(path, 'a change must be {type, before, after}');
    oneOf(c, 'type', ALL_FIX_TYPES, path);
    for (const side of ['before', 'after'] as const) {
      if (c[side] === null) continue;
      if (c[side] === undefined) throw new Invalid([...path, side], `"${side}" must be a tag or null`);
      tag(c[side], [...path, side]);
    }
    if (c.before === null && c.after === null) throw new Invalid(path, 'a change needs a "before" or an "after" tag');
  });
}

function checkCall(r: Obj): void {
  whole(r, 'seq', 1);
  time(r, 'at');
  oneOf(r, 'api', WRITE_APIS, []);
  placement(r);
  arr(r, 'arns', [])!.forEach((a, i) => arn(a, ['arns', i]));
  arr(r, 'tags', [], true)?.forEach((t, i) => {
    if (!isObject(t)) throw new Invalid(['tags', i], 'a tag must be {key, value}');
    str(t, 'key', ['tags', i]);
    str(t, 'value', ['tags', i]);
  });
  arr(r, 'keys', [], true)?.forEach((k, i) => {
    if (typeof k !== 'string') throw new Invalid(['keys', i], 'a key must be a string');
  });
  whole(r, 'attempt', 1);
}

function checkResult(r: Obj): void {
  whole(r, 'seq', 1);
  time(r, 'at');
  arr(r, 'ok', [])!.forEach((a, i) => arn(a, ['ok', i]));
  if (!isObject(r.failed)) throw new Invalid(['failed'], '"failed" must be an object');
  // Its keys are ARNs: the path stops at "failed" so that no key is quoted.
  for (const [a, f] of Object.entries(r.failed)) {
    if (!tryParseArn(a) || !failure(f)) throw new Invalid(['failed'], '"failed" must map each ARN to {code, message}');
  }
  if (r.error !== undefined && !failure(r.error)) throw new Invalid(['error'], '"error" must be {code, message}');
}

function checkDone(r: Obj): void {
  arn(r.arn, ['arn']);
  oneOf(r, 'status', STATUSES, []);
  str(r, 'detail', [], true);
}

function counts(r: Obj, optional = false): void {
  const c = r.counts;
  if (c === undefined && optional) return;
  if (!isObject(c) || !Object.values(c).every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
    throw new Invalid(['counts'], '"counts" must map each status to a count');
  }
}

function checkEnd(r: Obj): void {
  time(r, 'at');
  counts(r);
}

function checkUndone(r: Obj): void {
  time(r, 'at');
  if (str(r, 'undoJournal', [])! === '') throw new Invalid(['undoJournal'], '"undoJournal" must not be empty');
  oneOf(r, 'outcome', UNDO_OUTCOMES, []);
  counts(r, true);
}

/**
 * What is wrong with one parsed journal line (its `t` a string), as `<type> record: <problem> (at <field path>)`;
 * undefined when it is a record the journal writer could have written. The begin record's version is checked by the
 * reader before anything else (another version may have other shapes).
 */
export function journalRecordProblem(r: Obj & { t: string }): string | undefined {
  try {
    switch (r.t) {
      case 'begin':
        checkBegin(r);
        return undefined;
      case 'plan':
        checkPlanFrame(r);
        return undefined;
      case 'resume':
        time(r, 'at');
        return undefined;
      case 'resource':
        checkResource(r);
        return undefined;
      case 'call':
        checkCall(r);
        return undefined;
      case 'result':
        checkResult(r);
        return undefined;
      case 'done':
        checkDone(r);
        return undefined;
      case 'end':
        checkEnd(r);
        return undefined;
      case 'undone':
        checkUndone(r);
        return undefined;
      default:
        // The journal version stays 1 while record types are added (undone): a journal from a newer tagaudit lands here.
        return `unknown record type (written by a newer tagaudit?): expected ${RECORD_TYPES.slice(0, -1).join(', ')} or ${RECORD_TYPES.at(-1)!}`;
    }
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    if (r.t === 'plan') return `the journal's plan is invalid: ${err.message} (at ${['plan', ...err.path].join('.')})`;
    return `${r.t} record: ${err.message}${err.path.length > 0 ? ` (at ${err.path.join('.')})` : ''}`;
  }
}
