import type * as LambdaSdk from '@aws-sdk/client-lambda';
import { tryParseArn } from '../inventory/arn.js';
import { setTag } from '../inventory/resource.js';
import { mapLimit } from '../scan/concurrency.js';
import type { SendClient } from './aws-backend.js';
import { errorFailure } from './backend.js';
import type { CallFailure } from './journal.js';

/*
 * Lambda functions the Tagging API does not return, asked about with Lambda's own ListTags: the proof that one was
 * deleted, which GetResources cannot give (it leaves such a function out, but its index lags behind, and it also
 * leaves out functions that were never tagged or whose tags were all removed).
 *
 * What Lambda answers (https://docs.aws.amazon.com/lambda/latest/api/API_ListTags.html):
 * - the function's tags, aws: ones included (none: an empty map) while it exists;
 * - ResourceNotFoundException (HTTP 404, "The resource specified in the request does not exist") once it is deleted:
 *   the proof. ListTags names exactly one resource, so nothing else can be the one not found. (moto: "Function not
 *   found: arn:…", the same code.)
 * - InvalidParameterValueException, ServiceException, TooManyRequestsException, AccessDeniedException (no
 *   lambda:ListTags): no proof of anything.
 *
 * A qualified ARN (`…:function:NAME:ALIAS` or `:VERSION`) carries the function's tags (Lambda tags neither aliases nor
 * versions), so the function itself is asked: an alias deleted while its function lives on is not a deleted function.
 *
 * ListTags rather than GetFunction: one call answers both questions (exists? which tags?), and lambda:GetFunction
 * would also hand the tag role a download link to every function's code.
 */

/** @aws-sdk/client-lambda, loaded on first use: a fix or undo without an unreturned Lambda function never pays for it. */
const lambdaSdk = (): Promise<typeof LambdaSdk> => import('@aws-sdk/client-lambda');

export const LAMBDA_FUNCTION_TYPE = 'lambda:function';

/** ListTags in flight: Lambda's control-plane requests are limited per API (15 a second), the SDK retries the rest. */
const READ_CONCURRENCY = 4;

/** The function an ARN names, without its version or alias qualifier; undefined when it is not a Lambda function ARN. */
export function lambdaFunctionArn(arn: string): string | undefined {
  const p = tryParseArn(arn);
  if (!p || p.resourceType !== LAMBDA_FUNCTION_TYPE) return undefined;
  const name = p.resourceId.split(':')[0];
  if (!name) return undefined;
  return `arn:${p.partition}:lambda:${p.region}:${p.accountId}:function:${name}`;
}

/** Whether Lambda's failure answering for one function, asked for by its unqualified ARN, says it no longer exists. */
export function lambdaSaysGone(failure: CallFailure): boolean {
  return failure.code === 'ResourceNotFoundException';
}

export interface LambdaRead {
  /** Tags (aws: ones included) of the ARNs whose function exists, keyed by the ARN asked about. */
  readonly tags: Map<string, Record<string, string>>;
  /** ARNs whose function Lambda says does not exist. */
  readonly missing: Set<string>;
  /** ARNs Lambda did not answer for (denied, throttled, malformed, not a function ARN): no proof either way. */
  readonly unanswered: Map<string, CallFailure>;
}

/**
 * One ListTags per function (ARNs naming the same function, qualified or not, share it): its tags, or proof that it
 * is gone (see above). Only ever called for functions GetResources did not return, so the extra calls are as many as
 * those functions.
 */
export async function readLambdaFunctions(client: SendClient, arns: readonly string[]): Promise<LambdaRead> {
  const read: LambdaRead = { tags: new Map(), missing: new Set(), unanswered: new Map() };
  const byFunction = new Map<string, string[]>();
  for (const arn of arns) {
    const fn = lambdaFunctionArn(arn);
    if (!fn) read.unanswered.set(arn, { code: 'InvalidArn', message: 'not a Lambda function ARN' });
    else byFunction.set(fn, [...(byFunction.get(fn) ?? []), arn]);
  }
  if (byFunction.size === 0) return read;
  const { ListTagsCommand } = await lambdaSdk();
  await mapLimit([...byFunction], READ_CONCURRENCY, async ([fn, asked]) => {
    try {
      const out = (await client.send(new ListTagsCommand({ Resource: fn }))) as LambdaSdk.ListTagsCommandOutput;
      const tags: Record<string, string> = {};
      for (const [k, v] of Object.entries(out.Tags ?? {})) setTag(tags, k, v);
      for (const arn of asked) read.tags.set(arn, { ...tags });
    } catch (err) {
      const f = errorFailure(err);
      for (const arn of asked) {
        if (lambdaSaysGone(f)) read.missing.add(arn);
        else read.unanswered.set(arn, f);
      }
    }
  });
  return read;
}
