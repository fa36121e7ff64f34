import { keyMatchesCase } from '../dictionary/key-case.js';
import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { MESSAGES } from './messages.js';
import type { RuleReport } from './types.js';

/**
 * Keys SageMaker writes by itself on resources created in Studio or by pipelines (sagemaker:domain-arn,
 * sagemaker:user-profile-arn, sagemaker:pipeline-execution-arn …). They are not aws: keys, but nobody types them and
 * removing them breaks Studio's resource isolation, so they are never reported as unknown.
 */
const SERVICE_MANAGED_PREFIXES: readonly string[] = ['sagemaker:'];

export const unknownTagKey = createRule({
  id: 'unknown-tag-key',
  description: 'A tag key is not defined in the dictionary.',
  defaultSeverity: 'warning',
  severityNote: 'off unless conventions.unknownKeys or rules: sets a level',
  fixable: false,
  rationale:
    "Keys outside the dictionary are where typos and one-off conventions hide, and each counts toward AWS's 50-tag " +
    'limit. The dictionary decides how loud this is (conventions.unknownKeys; off by default). The message also says ' +
    "when the key breaks the dictionary's key case or required prefix. aws: keys and SageMaker's own sagemaker: keys are never reported.",
  check(ctx) {
    const a = analysisOf(ctx);
    if (a.unmappedCount === 0) return NO_REPORTS;
    const { keyCase, requiredPrefix } = ctx.policy.conventions;
    let out: RuleReport[] | undefined;
    for (let i = 0; i < a.keys.length; i++) {
      const cls = a.classAt(i);
      if (!cls || (cls.kind !== 'unknown' && cls.kind !== 'ambiguous')) continue;
      const rawKey = a.keys[i] as string;
      if (SERVICE_MANAGED_PREFIXES.some((p) => rawKey.startsWith(p))) continue;
      const key = ctx.display(rawKey);
      let message: string;
      const data: Record<string, unknown> = {};
      if (cls.kind === 'ambiguous') {
        const candidates = cls.entries.map((e) => e.key);
        message = MESSAGES.ambiguousKey(key, candidates);
        data.candidates = candidates;
      } else message = MESSAGES.unknownKey(key);
      if (!keyMatchesCase(rawKey, keyCase)) {
        message += MESSAGES.breaksKeyCase(keyCase);
        data.keyCase = keyCase;
      }
      if (requiredPrefix && !rawKey.startsWith(requiredPrefix)) {
        message += MESSAGES.lacksPrefix(requiredPrefix);
        data.requiredPrefix = requiredPrefix;
      }
      (out ??= []).push({ message, tag: { key: rawKey, value: a.valueAt(i) }, data });
    }
    return out ?? NO_REPORTS;
  },
});
