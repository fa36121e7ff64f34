import { describe, expect, it } from 'vitest';
import { renderSarif, sarifUri } from '../../../src/report/sarif.js';
import { fingerprint } from '../../../src/rules/fingerprint.js';
import type { Finding } from '../../../src/rules/types.js';
import { makeReport, ref } from './fixtures.js';

// One SageMaker model as ListModels lists it and as GetResources may give it (boto/boto3#4606): GitHub matches alerts
// by rule, path and fingerprint, so all three must stay when a scan meets the other spelling.
const LISTED = 'arn:aws:sagemaker:us-east-1:123456789012:model/Never-Tagged';
const LOWERED = 'arn:aws:sagemaker:us-east-1:123456789012:model/never-tagged';
const KEY = 'anycompany:finance:cost-center';

function missingTag(arn: string): Finding {
  return {
    ruleId: 'missing-mandatory-tag',
    severity: 'error',
    message: `missing mandatory tag ${KEY} on ${arn}`,
    resource: ref(arn),
    tag: { key: KEY },
    fingerprint: fingerprint('missing-mandatory-tag', arn, KEY),
  };
}

describe('SARIF for a SageMaker resource met under two spellings', () => {
  it('points both at one artifact path, the lower-cased one', () => {
    expect(sarifUri(ref(LISTED))).toBe('aws/123456789012/us-east-1/sagemaker/model/never-tagged');
    expect(sarifUri(ref(LOWERED))).toBe(sarifUri(ref(LISTED)));
    expect(sarifUri(ref('arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/Churn-EPC-V2'))).toBe('aws/123456789012/us-east-1/sagemaker/endpoint-config/churn-epc-v2');
  });

  it('keeps the same path and fingerprint, and shows each ARN as listed in the logical location and message', () => {
    const [a, b] = renderSarif(makeReport([missingTag(LISTED), missingTag(LOWERED)])).runs[0]!.results;
    expect(a!.locations[0].physicalLocation.artifactLocation.uri).toBe(b!.locations[0].physicalLocation.artifactLocation.uri);
    expect(a!.partialFingerprints).toEqual(b!.partialFingerprints);
    expect(a!.locations[0].logicalLocations[0]).toEqual({ name: 'Never-Tagged', fullyQualifiedName: LISTED, kind: 'resource' });
    expect(b!.locations[0].logicalLocations[0]).toEqual({ name: 'never-tagged', fullyQualifiedName: LOWERED, kind: 'resource' });
    expect(a!.message.text).toContain(LISTED);
    expect(b!.message.text).toContain(LOWERED);
  });

  it('leaves the path of other services as the ARN spells it: their names can differ only in case', () => {
    expect(sarifUri(ref('arn:aws:lambda:us-east-1:123456789012:function:Billing'))).toBe('aws/123456789012/us-east-1/lambda/function/Billing');
    expect(sarifUri(ref('arn:aws:iam::123456789012:role/SageMakerExecution'))).toBe('aws/123456789012/global/iam/role/SageMakerExecution');
    expect(sarifUri(ref('arn:aws:s3:::Bucket-SageMaker'))).toBe('aws/unknown-account/global/s3/bucket/Bucket-SageMaker');
  });
});
