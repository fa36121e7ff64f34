import { parentKey } from '../audit/parent-key.js';

/** `arn:<partition>:sagemaker:<region>:<account>:<type>/<rest>`, tested without parsing (these run per resource). */
function sageMakerArn(type: string, rest = ''): RegExp {
  return new RegExp(`^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\\d{12}:${type}/${rest}[^\\s]`);
}

/**
 * Where SageMaker Studio records the context a resource was made in: its domain, user profile and space. A value
 * counts only if it is the ARN of a resource of that type.
 */
const CONTEXT_TAGS: readonly (readonly [key: string, arn: RegExp])[] = [
  ['sagemaker:domain-arn', sageMakerArn('domain')],
  ['sagemaker:user-profile-arn', sageMakerArn('user-profile')],
  ['sagemaker:space-arn', sageMakerArn('space')],
];
/** Jobs a pipeline launched carry the execution; its pipeline is the taggable parent (executions have no tags). */
const EXECUTION_TAG = 'sagemaker:pipeline-execution-arn';
const EXECUTION_MARK = '/execution/';
const EXECUTION_ARN = sageMakerArn('pipeline', '[^/]+/execution/');

/**
 * A resource's parents, as both a live scan and an inventory read them: the resources that made it (the listed ones,
 * a pipeline execution named as its pipeline, and the pipeline its `sagemaker:pipeline-execution-arn` tag records);
 * only when there is none, its Studio context (domain, user profile, space: listed, or recorded in its tags). The maker is the nearer
 * reference: a tuning job launched in a domain carries what the domain passed on, and its training jobs what the
 * tuning job carries, so the domain beside it would only outvote it. Each parent once (by parentKey), never the
 * resource itself, the first spelling kept. Returns `listed` itself when that changes nothing, and undefined when
 * there is none: a resource of another service without listed parents costs one compare, a SageMaker one a few lookups.
 *
 * Only SageMaker resources' tags are read: SageMaker writes these tags on its own resources, and the reader of a
 * million-resource inventory should not look for them on every bucket and function.
 */
export function resourceParents(
  arn: string,
  service: string,
  tags: Readonly<Record<string, string>>,
  listed: readonly string[] | undefined,
): readonly string[] | undefined {
  const sagemaker = service === 'sagemaker';
  const pipeline = sagemaker ? pipelineFromTags(tags) : undefined;
  const given = listed ?? NONE;
  if (pipeline === undefined && given.length === 1 && !changesParent(arn, given[0]!) && !isContext(given[0]!)) return listed;
  const makers = given.filter((p) => !isContext(p) && !isSelf(arn, p));
  if (pipeline !== undefined) makers.push(pipeline);
  if (makers.length > 0) return distinctParents(arn, makers, undefined);
  const context = sagemaker ? contextFromTags(tags) : undefined;
  if (context === undefined && !given.some((p) => changesParent(arn, p))) return listed;
  return distinctParents(arn, given, context);
}

const NONE: readonly string[] = [];

/** Whether a parent ARN is a Studio domain, user profile or space. */
function isContext(parent: string): boolean {
  return parent.includes(':sagemaker:') && CONTEXT_TAGS.some(([, arn]) => arn.test(parent));
}

/** The Studio context SageMaker recorded in `tags` (a value that is no ARN of its tag's type left out), or undefined. */
export function contextFromTags(tags: Readonly<Record<string, string>>): string[] | undefined {
  let out: string[] | undefined;
  for (const [key, arn] of CONTEXT_TAGS) {
    const v = tags[key];
    if (v && arn.test(v)) (out ??= []).push(v);
  }
  return out;
}

/** The pipeline whose execution launched the resource, per its `sagemaker:pipeline-execution-arn` tag. */
function pipelineFromTags(tags: Readonly<Record<string, string>>): string | undefined {
  const execution = tags[EXECUTION_TAG];
  return execution ? pipelineOfExecution(execution) : undefined;
}

/** The pipeline of a SageMaker pipeline execution ARN (`…:pipeline/NAME/execution/ID`); undefined for any other string. */
export function pipelineOfExecution(arn: string): string | undefined {
  return EXECUTION_ARN.test(arn) ? arn.slice(0, arn.indexOf(EXECUTION_MARK)) : undefined;
}

/** Whether a listed parent would not be kept as it is: an execution, or the resource itself. */
function changesParent(self: string, parent: string): boolean {
  return parent.includes(EXECUTION_MARK) || isSelf(self, parent);
}

function isSelf(self: string, parent: string): boolean {
  return parent.length === self.length && parentKey(parent) === parentKey(self);
}

/**
 * Each parent of `first` then `then` once, executions as their pipelines, never the resource itself, compared by
 * parentKey: a tag may name in lower case a SageMaker parent the lists named in mixed case. The first spelling is
 * kept (the lists', which are the resources' own ARNs). A resource has a handful of parents: a list beats a Set.
 */
function distinctParents(self: string, first: readonly string[], then: readonly string[] | undefined): string[] {
  const keys = [parentKey(self)];
  const out: string[] = [];
  for (const given of first) addParent(given, keys, out);
  if (then) for (const given of then) addParent(given, keys, out);
  return out;
}

function addParent(given: string, keys: string[], out: string[]): void {
  const arn = (given.includes(EXECUTION_MARK) && pipelineOfExecution(given)) || given;
  const key = parentKey(arn);
  if (keys.includes(key)) return;
  keys.push(key);
  out.push(arn);
}
