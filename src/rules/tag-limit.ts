import { MAX_USER_TAGS } from '../inventory/resource.js';
import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { MESSAGES } from './messages.js';

/** From this many user tags on, a resource is reported as close to the limit. */
export const TAG_LIMIT_WARNING_THRESHOLD = 45;

export const tagLimit = createRule({
  id: 'tag-limit',
  description: 'A resource carries close to, or more than, the AWS limit of 50 user tags.',
  defaultSeverity: 'warning',
  severityNote: 'error over 50 user tags',
  fixable: false,
  rationale:
    'AWS accepts at most 50 user tags per resource (aws: tags do not count). At the limit every new tag, including the ' +
    'fixes tagaudit proposes, is rejected; close to it, the next mandatory key may not fit. More than 50 cannot come ' +
    'from AWS and means the inventory is wrong, so that case is always an error. Which tags to drop is for a person to decide.',
  check(ctx) {
    const count = analysisOf(ctx).userTagCount;
    if (count < TAG_LIMIT_WARNING_THRESHOLD) return NO_REPORTS;
    const data = { userTags: count, limit: MAX_USER_TAGS };
    if (count > MAX_USER_TAGS) return [{ message: MESSAGES.tagLimitOver(count, MAX_USER_TAGS), severity: 'error', data }];
    if (count === MAX_USER_TAGS) return [{ message: MESSAGES.tagLimitAt(MAX_USER_TAGS), data }];
    return [{ message: MESSAGES.tagLimitClose(count, MAX_USER_TAGS), data }];
  },
});
