import { tagLimit, TAG_LIMIT_WARNING_THRESHOLD } from '../../../src/rules/tag-limit.js';
import { anycompanyPolicy } from '../../support/policies.js';
import { ruleTester } from '../../support/rule-tester.js';

function userTags(n: number, aws = 0): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 0; i < n; i++) tags[`anycompany:extra:k${i}`] = 'v';
  for (let i = 0; i < aws; i++) tags[`aws:service:k${i}`] = 'v';
  return tags;
}

ruleTester(tagLimit, {
  policy: anycompanyPolicy(),
  valid: [
    { name: 'well below', tags: userTags(10) },
    { name: 'one below the threshold', tags: userTags(TAG_LIMIT_WARNING_THRESHOLD - 1) },
    { name: 'aws: tags do not count', tags: userTags(TAG_LIMIT_WARNING_THRESHOLD - 1, 20) },
  ],
  invalid: [
    {
      name: 'close to the limit',
      tags: userTags(TAG_LIMIT_WARNING_THRESHOLD),
      findings: [{ messageIncludes: [`${TAG_LIMIT_WARNING_THRESHOLD} user tags, close to the AWS limit of 50`], severity: 'warning', data: { userTags: TAG_LIMIT_WARNING_THRESHOLD, limit: 50 } }],
    },
    { name: 'at the limit', tags: userTags(50, 3), findings: [{ messageIncludes: ['the AWS limit: no tag can be added'], severity: 'warning' }] },
    { name: 'over the limit (cannot come from AWS): always an error', tags: userTags(51), findings: [{ messageIncludes: ['51 user tags, over the AWS limit of 50'], severity: 'error' }] },
  ],
});
