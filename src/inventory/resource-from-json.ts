import { maskedExcerpt } from '../pii/excerpt.js';
import { BadRecord } from './bad-line.js';
import { closest } from '../dictionary/suggest.js';
import { isAutoScalingGroupArn, tryParseArn, type ParsedArn } from './arn.js';
import { arnProblem } from './arn-check.js';
import { partitionOfRegion } from './aws-regions.js';
import { setTag, type Resource } from './resource.js';
import { resourceParents } from './sagemaker-parents.js';

/**
 * Turns one parsed inventory record into a Resource, or returns why it cannot (a BadRecord with its cause). Two record shapes are accepted:
 * a tagaudit Resource (`{arn, tags, …}`, as JSON Lines carry them) and an AWS CLI tag mapping
 * (`{ResourceARN, Tags: [{Key, Value}]}`). Fields the record leaves out are filled from the ARN.
 * Messages never quote tag keys or values: they may hold PII.
 */
export function resourceFromRecord(record: unknown): Resource | BadRecord {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return new BadRecord('not-an-object', `expected a JSON object, got ${describe(record)}`);
  const o = record as Record<string, unknown>;
  if (typeof o.arn === 'string') return fromResourceRecord(o, o.arn);
  if (typeof o.ResourceARN === 'string') return fromTagMapping(o, o.ResourceARN);
  if ('arn' in o || 'ResourceARN' in o) return new BadRecord('missing-arn', `"${'arn' in o ? 'arn' : 'ResourceARN'}" must be a string`);
  return new BadRecord('missing-arn', 'expected a resource with "arn" (JSON Lines) or "ResourceARN" (aws resourcegroupstaggingapi get-resources)');
}

/** The fields of a JSON Lines resource (what --save-inventory writes). Anything else is a mistake: a misspelt
 * "Tags" would otherwise leave the resource audited as untagged. */
const RESOURCE_FIELDS = ['arn', 'tags', 'accountId', 'region', 'service', 'resourceType', 'source', 'state', 'createdAt', 'parentArns'];
const KNOWN_FIELD = new Set(RESOURCE_FIELDS);
const ACCOUNT_ID = /^\d{12}$/;

function fromResourceRecord(o: Record<string, unknown>, arn: string): Resource | BadRecord {
  for (const field in o) if (!KNOWN_FIELD.has(field)) return new BadRecord('unknown-field', unknownField(field));
  const tags = o.tags === undefined ? {} : o.tags;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return new BadRecord('bad-tags', `"tags" must be an object of key → string value, got ${describe(tags)}`);
  for (const k in tags) {
    const v = (tags as Record<string, unknown>)[k];
    if (typeof v !== 'string') return new BadRecord('bad-tags', `"tags" values must be strings (one is ${describe(v)})`);
  }
  const fieldError =
    optionalString(o, 'accountId') ??
    optionalString(o, 'region') ??
    optionalString(o, 'service') ??
    optionalString(o, 'resourceType') ??
    optionalString(o, 'source') ??
    optionalString(o, 'state') ??
    optionalString(o, 'createdAt') ??
    optionalArnList(o.parentArns);
  if (fieldError) return new BadRecord('bad-field', fieldError);
  return build(
    arn,
    tags as Record<string, string>,
    o as Partial<Record<'accountId' | 'region' | 'service' | 'resourceType' | 'source' | 'state' | 'createdAt', string>>,
    o.parentArns as readonly string[] | undefined,
  );
}

function fromTagMapping(o: Record<string, unknown>, arn: string): Resource | BadRecord {
  const list = o.Tags === undefined ? [] : o.Tags;
  if (!Array.isArray(list)) return new BadRecord('bad-tags', `"Tags" must be a list of {Key, Value}, got ${describe(list)}`);
  const tags: Record<string, string> = {};
  for (let i = 0; i < list.length; i++) {
    const t = list[i] as { Key?: unknown; Value?: unknown } | null;
    if (typeof t !== 'object' || t === null || typeof t.Key !== 'string') return new BadRecord('bad-tags', `"Tags"[${i}] must be {Key, Value} with a string Key`);
    const value = t.Value === undefined || t.Value === null ? '' : t.Value;
    if (typeof value !== 'string') return new BadRecord('bad-tags', `"Tags"[${i}].Value must be a string`);
    if (Object.prototype.hasOwnProperty.call(tags, t.Key)) return new BadRecord('bad-tags', `"Tags"[${i}] repeats a key already listed`);
    setTag(tags, t.Key, value);
  }
  if (list.length === 0 && isAutoScalingGroupArn(arn)) return new BadRecord('tagless-auto-scaling-group', TAGLESS_AUTO_SCALING_GROUP);
  return build(arn, tags, {}, undefined);
}

/**
 * GetResources returns Auto Scaling groups without their tags, so an empty list in an export says nothing about the
 * group: auditing it as untagged would report every mandatory key missing.
 */
const TAGLESS_AUTO_SCALING_GROUP =
  'an Auto Scaling group without tags: GetResources leaves their tags out, so this export cannot tell them ' +
  '(a live scan reads them with DescribeAutoScalingGroups; audit its --save-inventory file instead)';

function build(
  arn: string,
  tags: Record<string, string>,
  given: Partial<Record<'accountId' | 'region' | 'service' | 'resourceType' | 'source' | 'state' | 'createdAt', string>>,
  parentArns: readonly string[] | undefined,
): Resource | BadRecord {
  const parsed = tryParseArn(arn);
  if (!parsed) return new BadRecord('invalid-arn', `invalid ARN ${JSON.stringify(maskedExcerpt(arn, 200))}`);
  const impossible = arnProblem(parsed);
  if (impossible) return new BadRecord('invalid-arn', `invalid ARN ${JSON.stringify(maskedExcerpt(arn, 200))}: ${impossible}`);
  const wrong = fieldProblem(parsed, given);
  if (wrong) return wrong;
  return {
    arn,
    accountId: parsed.accountId || given.accountId || '',
    region: parsed.region || given.region || 'global',
    service: parsed.service,
    resourceType: parsed.resourceType,
    tags,
    source: given.source || 'inventory',
    state: given.state,
    createdAt: given.createdAt,
    // The parents SageMaker records in tags, as a live scan takes them: an export or a hand-written line without
    // parentArns gives the same findings as scanning the same resources.
    parentArns: resourceParents(arn, parsed.service, tags, parentArns),
  };
}

/** A field the record gives that contradicts its ARN, or that fills in what the ARN leaves out with something unusable. */
function fieldProblem(
  parsed: ParsedArn,
  given: Partial<Record<'accountId' | 'region' | 'service' | 'resourceType', string>>,
): BadRecord | undefined {
  const mismatch = (message: string): BadRecord => new BadRecord('arn-mismatch', message);
  const unusable = (message: string): BadRecord => new BadRecord('bad-field', message);
  // A record may supply what the ARN leaves out (an S3 bucket's account or region), never contradict it.
  if (given.accountId !== undefined && parsed.accountId && given.accountId !== parsed.accountId)
    return mismatch(`"accountId" ${shortJson(given.accountId)} does not match the ARN's account ${parsed.accountId}`);
  if (given.region !== undefined && parsed.region && given.region !== parsed.region)
    return mismatch(`"region" ${shortJson(given.region)} does not match the ARN's region ${parsed.region}`);
  // What the ARN leaves out is taken from the record: it must be usable (the fixer calls AWS in that region, and
  // accountDefaults are looked up by that account).
  if (!parsed.accountId && given.accountId && !ACCOUNT_ID.test(given.accountId))
    return unusable(`"accountId" ${shortJson(given.accountId)} is not a 12-digit AWS account id`);
  if (!parsed.region && given.region && given.region !== 'global') {
    const owner = partitionOfRegion(given.region);
    if (owner === undefined) return unusable(`"region" ${shortJson(given.region)} is not an AWS region name (e.g. us-east-1, or global)`);
    if (owner !== parsed.partition) return unusable(`"region" ${shortJson(given.region)} is a region of partition ${owner}, not of the ARN's ${parsed.partition}`);
  }
  // Scanners take both from the ARN. Another spelling (Config's AWS::SageMaker::TrainingJob) would match no
  // `mandatory` pattern, and the resource's missing keys would go unreported.
  if (given.service && given.service !== parsed.service) return mismatch(`"service" ${shortJson(given.service)} does not match the ARN's service ${parsed.service}`);
  if (given.resourceType && given.resourceType !== parsed.resourceType)
    return mismatch(`"resourceType" ${shortJson(given.resourceType)} does not match the ARN's type ${parsed.resourceType}`);
  return undefined;
}

function shortJson(text: string): string {
  return JSON.stringify(maskedExcerpt(text, 60));
}

function unknownField(field: string): string {
  const shown = JSON.stringify(maskedExcerpt(field, 40));
  const hint = closest(field, RESOURCE_FIELDS);
  return `unknown field ${shown}${hint ? ` (did you mean "${hint}"?)` : ''}; a JSON Lines resource has ${RESOURCE_FIELDS.join(', ')}`;
}

function optionalString(o: Record<string, unknown>, field: string): string | undefined {
  const v = o[field];
  return v === undefined || typeof v === 'string' ? undefined : `"${field}" must be a string, got ${describe(v)}`;
}

function optionalArnList(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `"parentArns" must be a list of ARN strings`;
  // A parent that is not an ARN can never be found: the inheritance rules would silently skip it.
  const bad = v.findIndex((x: string) => tryParseArn(x) === undefined);
  return bad < 0 ? undefined : `"parentArns"[${bad}] is not an ARN`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
