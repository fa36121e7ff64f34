import { writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from '../vendor/yaml.js';
import { UsageError, formatLocation } from '../errors.js';
import { describeJsonError, lineColAt } from '../inventory/json-error.js';
import { tryParseArn, type ParsedArn } from '../inventory/arn.js';
import { REGION_PATTERN } from '../inventory/region-name.js';
import { closest } from '../dictionary/suggest.js';
import { maskedExcerpt } from '../pii/excerpt.js';
import { isAwsReservedKey } from '../inventory/resource.js';
import { sha256Hex } from './digest.js';
import { jsonErrorOffset } from '../inventory/json-error-offset.js';
import type { Policy } from '../dictionary/policy.js';
import type { ValueFixType } from '../rules/types.js';
import { policyIndex } from '../rules/policy-index.js';
import { ALL_FIX_TYPES, FIX_PLAN_VERSION, type FixPlan, type PlanEdit } from './plan.js';
import { dictionaryProblem } from './planner.js';
import { isCloudFormationStack } from './cloudformation.js';
import { outputWriteError } from './output-path.js';
import { openOutputFile } from '../report/output-file.js';
import { DIGESTS_LEFT_OUT, PRINTED_PLAN_HINT } from './printed-plan.js';
import { Invalid, type Path } from './plan-invalid.js';
import { checkPlanTags } from './plan-tags.js';
import { editValueProblem, piiTargetProblem, type EditProblem } from './plan-values.js';

export { Invalid } from './plan-invalid.js';

const HEX64 = /^[0-9a-f]{64}$/;
const ACCOUNT_ID = /^\d{12}$/;
/**
 * What the ARN masker writes in place of personal data: `j***@e*****e.com`, `user/+********671`. No resource name
 * AWS allows holds three asterisks in a row.
 */
const MASKED_TEXT = /\*{3}/;
const MASKED_ARN = 'this ARN is masked (a plan printed by fix --format json); save a plan to apply with --plan-out';
const FIX_TYPES = new Set<string>(ALL_FIX_TYPES);
const VALUE_FIX_TYPES = new Set<string>(['normalize-value', 'add-default', 'inherit'] satisfies ValueFixType[]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(obj: Record<string, unknown>, key: string, path: Path, optional = false): void {
  const v = obj[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'string') throw new Invalid([...path, key], `"${key}" must be a string`);
}

function arr(obj: Record<string, unknown>, key: string, path: Path): unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) throw new Invalid([...path, key], `"${key}" must be an array`);
  return v;
}

function digest(obj: Record<string, unknown>, key: string, path: Path): void {
  const v = obj[key];
  if (v === undefined) return;
  if (!isObject(v) || typeof v.keySha256 !== 'string' || !HEX64.test(v.keySha256) || typeof v.valueSha256 !== 'string' || !HEX64.test(v.valueSha256)) {
    throw new Invalid([...path, key], `"${key}" must be {keySha256, valueSha256} (64 lowercase hex digits each)`);
  }
}

/*
 * The fields a plan's resources and edits may have: what the planner writes (plan.ts). Any other is refused, as the
 * inventory reader refuses an unknown field: a misspelt field would otherwise be dropped without a word (a
 * `valueType` not shown, a `digest` not used), and a field a newer tagaudit writes would be applied without its
 * meaning.
 */
const RESOURCE_FIELDS = ['arn', 'accountId', 'region', 'resourceType', 'parentArns', 'expectedTags', 'edits', 'ruleIds', 'cloudFormation', 'finishedJob'];
const NOTE_FIELDS = ['parentArn', 'noPastCost'];
const EDIT_FIELDS: Readonly<Record<PlanEdit['op'], readonly string[]>> = {
  add: ['op', 'type', 'key', 'value', ...NOTE_FIELDS],
  set: ['op', 'type', 'key', 'expected', 'value', 'digest', ...NOTE_FIELDS],
  rename: ['op', 'type', 'from', 'to', 'expected', 'value', 'valueType', ...NOTE_FIELDS],
  remove: ['op', 'type', 'key', 'expected', 'digest'],
};

function onlyKnown(obj: Record<string, unknown>, known: readonly string[], what: string, path: Path): void {
  for (const field of Object.keys(obj)) {
    if (known.includes(field)) continue;
    const hint = closest(field, known);
    throw new Invalid([...path, field], `unknown field ${JSON.stringify(maskedExcerpt(field, 40))} on ${what}${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
}

/** A path as messages show it: a field name from the file (an unknown field) masked and quoted. */
export function pathText(path: Path): string {
  return path.map((seg) => (typeof seg === 'number' || /^[A-Za-z][A-Za-z0-9]*$/.test(seg) ? String(seg) : JSON.stringify(maskedExcerpt(seg, 40)))).join('.');
}

/**
 * Where the applier writes a resource: the account and region its ARN names, exactly; for an ARN without them
 * (S3 buckets, IAM), what a scan gives it — a 12-digit account id or '' (the caller's account), a region name or
 * `global`. Messages never quote the plan's value (a hand edit may put anything there).
 */
function checkPlace(r: Record<string, unknown>, parsed: ParsedArn, path: Path): void {
  const accountId = r.accountId as string;
  const region = r.region as string;
  if (parsed.accountId !== '') {
    if (accountId !== parsed.accountId) throw new Invalid([...path, 'accountId'], `"accountId" does not match the ARN's account ${parsed.accountId}`);
  } else if (accountId !== '' && !ACCOUNT_ID.test(accountId)) {
    throw new Invalid([...path, 'accountId'], '"accountId" must be a 12-digit AWS account id (the ARN names none)');
  }
  if (parsed.region !== '') {
    if (!REGION_PATTERN.test(parsed.region)) throw new Invalid([...path, 'arn'], "the ARN's region is not an AWS region name");
    if (region !== parsed.region) throw new Invalid([...path, 'region'], `"region" does not match the ARN's region ${parsed.region}`);
  } else if (region !== 'global' && !REGION_PATTERN.test(region)) {
    throw new Invalid([...path, 'region'], '"region" must be an AWS region name or global (the ARN names none)');
  }
}

/** The notes for the reviewer (EditNotes): optional, as plans made before them have none; informational only. */
function checkNotes(e: Record<string, unknown>, path: Path): void {
  if (e.parentArn !== undefined) {
    str(e, 'parentArn', path);
    if (MASKED_TEXT.test(e.parentArn as string)) throw new Invalid([...path, 'parentArn'], MASKED_ARN);
    const inherits = e.type === 'inherit' || (e.op === 'rename' && e.valueType === 'inherit');
    if (!inherits) throw new Invalid([...path, 'parentArn'], '"parentArn" is only for an edit that copies its parent\'s value (inherit)');
  }
  if (e.noPastCost !== undefined) {
    if (e.noPastCost !== true) throw new Invalid([...path, 'noPastCost'], '"noPastCost" must be true when present');
    if (e.op === 'remove') throw new Invalid([...path, 'noPastCost'], '"noPastCost" is not for a removal');
  }
}

function checkEdit(e: unknown, path: Path): void {
  if (!isObject(e)) throw new Invalid(path, 'an edit must be an object');
  checkNotes(e, path);
  if (typeof e.type !== 'string' || !FIX_TYPES.has(e.type)) throw new Invalid([...path, 'type'], `"type" must be one of ${ALL_FIX_TYPES.join(', ')}`);
  // The applier finds the tag a PII edit changes by its digest alone (its key and expected value are masked).
  if ((e.type === 'pii-remove' || e.type === 'pii-redact') && (e.op === 'remove' || e.op === 'set') && e.digest === undefined) {
    throw new Invalid(path, `this ${e.type} edit has no "digest", which names the tag it changes: ${PRINTED_PLAN_HINT}`);
  }
  if (e.write !== undefined) throw new Invalid([...path, 'write'], 'a saved plan cannot restore PII ("write" is for undo only)');
  if (e.copiedFrom !== undefined) throw new Invalid([...path, 'copiedFrom'], '"copiedFrom" is for undo only');
  if (typeof e.op === 'string' && Object.hasOwn(EDIT_FIELDS, e.op)) onlyKnown(e, EDIT_FIELDS[e.op as PlanEdit['op']], `${e.op === 'add' ? 'an' : 'a'} ${e.op} edit`, path);
  const reserved = (k: string): void => {
    if (typeof e[k] === 'string' && isAwsReservedKey(e[k])) throw new Invalid([...path, k], "tags starting with 'aws:' are never changed");
  };
  switch (e.op) {
    case 'add':
      str(e, 'key', path);
      str(e, 'value', path);
      reserved('key');
      return;
    case 'set':
      str(e, 'key', path);
      str(e, 'expected', path);
      str(e, 'value', path);
      digest(e, 'digest', path);
      reserved('key');
      return;
    case 'rename':
      for (const k of ['from', 'to', 'expected', 'value']) str(e, k, path);
      reserved('from');
      reserved('to');
      if (e.valueType !== undefined) {
        if (typeof e.valueType !== 'string' || !VALUE_FIX_TYPES.has(e.valueType)) {
          throw new Invalid([...path, 'valueType'], `"valueType" must be one of ${[...VALUE_FIX_TYPES].join(', ')}`);
        }
        if (e.value === e.expected) throw new Invalid([...path, 'valueType'], '"valueType" is only for a rename that changes the value');
      }
      return;
    case 'remove':
      str(e, 'key', path);
      str(e, 'expected', path);
      digest(e, 'digest', path);
      reserved('key');
      // Only PII is ever removed: a plan that removes anything else would drop a value not copied anywhere.
      if (e.type !== 'pii-remove') throw new Invalid([...path, 'type'], 'only pii-remove edits may remove a tag');
      return;
    default:
      throw new Invalid([...path, 'op'], '"op" must be add, set, rename or remove');
  }
}

/**
 * Refuses a resource whose edits disagree on what one tag ends up holding (two values, or a value and a removal —
 * a rename onto its own key is one): the applier would write one and remove the other, dropping a value it never
 * copied. Tags are told apart by the sha256 of their raw key, so a PII edit (addressed by digest) and a plain edit
 * of the same key collide too. Edits that agree (two aliases renamed onto one key with one value) are fine.
 */
function checkEditsAgree(edits: readonly Record<string, unknown>[], path: Path): void {
  const outcome = new Map<string, string | null>();
  const claim = (keySha256: string, value: string | null, j: number): void => {
    if (outcome.has(keySha256) && outcome.get(keySha256) !== value) {
      throw new Invalid([...path, j], 'edits of this resource disagree on what one tag ends up holding (a value would be lost)');
    }
    outcome.set(keySha256, value);
  };
  edits.forEach((e, j) => {
    const d = e.digest as { keySha256: string } | undefined;
    const id = (key: unknown): string => (d ? d.keySha256 : sha256Hex(key as string));
    if (e.op === 'rename') {
      claim(sha256Hex(e.to as string), e.value as string, j);
      claim(sha256Hex(e.from as string), null, j);
    } else if (e.op === 'remove') claim(id(e.key), null, j);
    else claim(id(e.key), e.value as string, j);
  });
}

/** `cloudFormation` of a planned resource: optional (older plans have none), else {stackName, logicalId?}. */
function checkStack(v: unknown, path: Path): void {
  if (v === undefined) return;
  if (!isObject(v)) throw new Invalid(path, '"cloudFormation" must be {stackName, logicalId?}');
  str(v, 'stackName', path);
  if (v.stackName === '') throw new Invalid([...path, 'stackName'], '"stackName" must not be empty');
  str(v, 'logicalId', path, true);
}

/** Checks the shape of a parsed plan; throws Invalid naming the path of the first problem. */
export function checkPlan(data: unknown): asserts data is FixPlan {
  if (!isObject(data)) throw new Invalid([], 'a plan must be a JSON object');
  if (data.kind !== 'tagaudit-fix-plan') throw new Invalid(['kind'], 'not a tagaudit plan ("kind" must be "tagaudit-fix-plan")');
  if (data.version === undefined) throw new Invalid([], `"version" is missing (expected ${FIX_PLAN_VERSION})`);
  if (data.version !== FIX_PLAN_VERSION) throw new Invalid(['version'], `unsupported plan version ${JSON.stringify(data.version)} (expected ${FIX_PLAN_VERSION})`);
  str(data, 'createdAt', []);
  if (!isObject(data.dictionary)) throw new Invalid(['dictionary'], '"dictionary" must be {path, sha256}');
  str(data.dictionary, 'path', ['dictionary']);
  str(data.dictionary, 'sha256', ['dictionary']);
  arr(data, 'fixTypes', []).forEach((t, i) => {
    if (typeof t !== 'string' || !FIX_TYPES.has(t)) throw new Invalid(['fixTypes', i], `unknown fix type ${JSON.stringify(t)}`);
  });
  const seen = new Set<string>();
  arr(data, 'resources', []).forEach((r, i) => {
    const path: Path = ['resources', i];
    if (!isObject(r)) throw new Invalid(path, 'a resource must be an object');
    onlyKnown(r, RESOURCE_FIELDS, 'a resource', path);
    for (const k of ['arn', 'accountId', 'region', 'resourceType']) str(r, k, path);
    const arn = r.arn as string;
    const parsed = tryParseArn(arn);
    if (!parsed) throw new Invalid([...path, 'arn'], 'not an ARN');
    // Writes go to the API the type names (IAM, Auto Scaling, SageMaker …): a type the ARN contradicts is refused here.
    if (r.resourceType !== parsed.resourceType) throw new Invalid([...path, 'resourceType'], `"resourceType" does not match the ARN's type ${parsed.resourceType}`);
    checkPlace(r, parsed, path);
    // Printed plans (fix --format json) mask e-mail addresses and + numbers in ARNs; only --plan-out writes the real ones.
    if (MASKED_TEXT.test(arn)) throw new Invalid([...path, 'arn'], MASKED_ARN);
    if (seen.has(arn)) throw new Invalid([...path, 'arn'], 'this ARN appears twice in the plan');
    seen.add(arn);
    arr(r, 'expectedTags', path).forEach((t, j) => {
      const tp: Path = [...path, 'expectedTags', j];
      if (!isObject(t)) throw new Invalid(tp, 'a tag must be {key, value}');
      str(t, 'key', tp);
      str(t, 'value', tp);
      digest(t, 'digest', tp);
    });
    const edits = arr(r, 'edits', path);
    if (edits.length === 0) throw new Invalid([...path, 'edits'], 'a planned resource needs at least one edit');
    edits.forEach((e, j) => checkEdit(e, [...path, 'edits', j]));
    checkEditsAgree(edits as Record<string, unknown>[], [...path, 'edits']);
    if (r.ruleIds !== undefined && !Array.isArray(r.ruleIds)) throw new Invalid([...path, 'ruleIds'], '"ruleIds" must be an array');
    // The check after an apply re-reads the parents by these.
    if (r.parentArns !== undefined && (!Array.isArray(r.parentArns) || !r.parentArns.every((p) => typeof p === 'string'))) {
      throw new Invalid([...path, 'parentArns'], `"parentArns" must be an array of strings (the parents' ARNs)`);
    }
    const maskedParent = (r.parentArns as string[] | undefined)?.findIndex((p) => MASKED_TEXT.test(p)) ?? -1;
    if (maskedParent >= 0) throw new Invalid([...path, 'parentArns', maskedParent], MASKED_ARN);
    checkStack(r.cloudFormation, [...path, 'cloudFormation']);
    str(r, 'finishedJob', path, true);
    const marked = edits.findIndex((e) => isObject(e) && e.noPastCost === true);
    if (marked >= 0 && r.finishedJob === undefined) {
      throw new Invalid([...path, 'edits', marked, 'noPastCost'], '"noPastCost" marks an edit of a finished job: the resource has no "finishedJob"');
    }
    if (isCloudFormationStack({ arn, resourceType: r.resourceType as string })) {
      throw new Invalid([...path, 'arn'], "a CloudFormation stack's own tags are changed with CloudFormation, never by a plan");
    }
  });
  arr(data, 'conflicts', []);
  arr(data, 'skipped', []);
  // Last: a printed plan's masked ARN or digest-less PII edit is named first, where it is. Without either, its
  // expectedTags may still show masked values that lost their digests, which no live tags would ever match.
  if (data[DIGESTS_LEFT_OUT] !== undefined) {
    throw new Invalid([DIGESTS_LEFT_OUT], `this plan has no digests of the personal data it names: ${PRINTED_PLAN_HINT}`);
  }
}

/** The texts an edit shows or writes, each with the key that gives it context (a bare 9-digit number is an SSN only under an SSN key). */
function editTexts(e: PlanEdit): { field: string; key: string; text: string }[] {
  switch (e.op) {
    case 'add':
      return [
        { field: 'key', key: '', text: e.key },
        { field: 'value', key: e.key, text: e.value },
      ];
    case 'set':
      return [
        { field: 'key', key: '', text: e.key },
        { field: 'expected', key: e.key, text: e.expected },
        { field: 'value', key: e.key, text: e.value },
      ];
    case 'rename':
      return [
        { field: 'from', key: '', text: e.from },
        { field: 'expected', key: e.from, text: e.expected },
        { field: 'to', key: '', text: e.to },
        { field: 'value', key: e.to, text: e.value },
      ];
    case 'remove':
      return [];
  }
}

/**
 * Checks what a loaded plan would show and write against the dictionary, since a plan file can be edited by hand:
 * - no edit writes personal data (per the dictionary's PII settings, as the scan judges a tag), and no non-PII
 *   edit shows any (a PII edit names its tag by digest, its key and expected value masked);
 * - a pii-remove or pii-redact edit names personal data, as far as the plan shows it (see piiTargetProblem);
 * - when `policy` is the dictionary the plan was made with (`sameDictionary`), every add-default writes that
 *   dictionary's default for the key and account, every normalize-value the form it gives the value replaced, every
 *   rename goes to the key its old key means, and an inherit over a value names its parent — as the planner does
 *   (dictionaryProblem, editValueProblem).
 * Throws Invalid at the offending field; its message shows only masked text.
 */
export function checkPlanWrites(plan: FixPlan, policy: Policy, sameDictionary: boolean): void {
  const index = policyIndex(policy);
  plan.resources.forEach((r, i) => {
    // The stack is shown in the preview: it must not hold personal data either (the planner masks it).
    for (const [field, key] of [
      ['stackName', 'aws:cloudformation:stack-name'],
      ['logicalId', 'aws:cloudformation:logical-id'],
    ] as const) {
      const text = r.cloudFormation?.[field];
      const hit = text === undefined ? undefined : index.facts(key, text).pii[0];
      if (hit) throw new Invalid(['resources', i, 'cloudFormation', field], `"${field}" holds personal data (${hit.kind}: ${hit.masked}); a plan never shows it`);
    }
    r.edits.forEach((e, j) => {
      const path: Path = ['resources', i, 'edits', j];
      const pii = e.type === 'pii-remove' || e.type === 'pii-redact';
      for (const t of editTexts(e)) {
        // A PII edit's key and expected value are masked labels; only what it writes is checked.
        if (pii && t.field !== 'value') continue;
        const hits = t.key === '' ? index.facts(t.text, '').pii : index.facts(t.key, t.text).pii.filter((h) => h.where === 'value');
        const hit = hits[0];
        if (hit) throw new Invalid([...path, t.field], `this ${e.type} edit's ${t.field} holds personal data (${hit.kind}: ${hit.masked}); a plan never writes or shows it`);
      }
      const at = (p: EditProblem): Path => (p.field === undefined ? path : [...path, p.field]);
      if (pii) {
        const problem = piiTargetProblem(index, r.expectedTags, e);
        if (problem) throw new Invalid(at(problem), problem.message);
      } else if (sameDictionary) {
        const problem = dictionaryProblem(policy, r.accountId, e);
        // The texts in the problem passed the PII check above.
        if (problem) throw new Invalid([...path, e.op === 'rename' ? 'to' : 'value'], `${problem} (the plan was changed since it was made)`);
        const changed = editValueProblem(index, r, e);
        if (changed) throw new Invalid(at(changed), `${changed.message} (the plan was changed since it was made)`);
      }
    });
  });
}

/** line:col of the value at `path` in JSON text (JSON is YAML, so the YAML parser gives positions). */
function locate(text: string, path: Path): { line: number; col: number } | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  let node: unknown = doc.contents;
  let best: Node | undefined = node as Node;
  for (const seg of path) {
    if (isMap(node)) node = node.get(seg, true);
    else if (isSeq(node)) node = node.get(seg as number, true);
    else break;
    if (node && typeof node === 'object' && 'range' in node) best = node as Node;
    else break;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lc.linePos(offset);
  return { line: pos.line, col: pos.col };
}

/** The longest text Node.js can hold (about 512 MiB): a plan is read whole, as one string. */
const MAX_PLAN_BYTES = bufferConstants.MAX_STRING_LENGTH;
const TOO_LARGE = `the plan file is too large (limit ${Math.round(MAX_PLAN_BYTES / 2 ** 20)} MiB, the longest text Node.js can read)`;

/** The plan file's text: a UsageError when it is missing, unreadable or too large to be read whole. */
async function readPlanText(file: string): Promise<string> {
  try {
    // UTF-8 never decodes to more characters than bytes: a regular file within the limit always fits.
    const info = await stat(file);
    if (info.isFile() && info.size > MAX_PLAN_BYTES) throw new UsageError(TOO_LARGE, file);
    return await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // A file that grew past the limit since, or a pipe: V8 cannot make a string that long.
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_STRING_TOO_LONG') throw new UsageError(TOO_LARGE, file, { cause: err });
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? 'plan file not found' : `cannot read the plan file (${code ?? String(err)})`, file, { cause: err });
  }
}

/**
 * Reads and validates a saved plan; any problem is a UsageError at file:line:col. Its edits are checked against its
 * own expectedTags (checkPlanTags); with `dictionary`, what the plan writes is checked against that too (see
 * checkPlanWrites).
 */
export async function readPlanFile(
  file: string,
  dictionary?: (plan: FixPlan) => Promise<{ policy: Policy; sameDictionary: boolean }>,
): Promise<FixPlan> {
  const text = await readPlanText(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const { message, offset } = describeJsonError(err);
    const where = offset ?? jsonErrorOffset(text);
    const at = where === undefined ? undefined : lineColAt(text, where);
    throw new UsageError(message, formatLocation(file, at?.line, at?.col), { cause: err });
  }
  try {
    checkPlan(data);
    checkPlanTags(data);
    if (dictionary) {
      const { policy, sameDictionary } = await dictionary(data);
      checkPlanWrites(data, policy, sameDictionary);
    }
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    const at = locate(text, err.path);
    const where = err.path.length > 0 ? ` (at ${pathText(err.path)})` : '';
    throw new UsageError(`${err.message}${where}`, formatLocation(file, at?.line, at?.col), { cause: err });
  }
  return data;
}

/**
 * Writes a plan as indented JSON, atomically (a reader never sees half a plan), readable by its owner only:
 * it holds the estate's tag values and digests of any personal data in them.
 */
export async function writePlanFile(file: string, plan: FixPlan): Promise<void> {
  try {
    const out = openOutputFile(file, { mode: 0o600 });
    try {
      writeFileSync(out.fd, `${JSON.stringify(plan, null, 2)}\n`, 'utf8');
    } catch (err) {
      out.discard();
      throw err;
    }
    out.commit();
  } catch (err) {
    throw outputWriteError(file, err);
  }
}
