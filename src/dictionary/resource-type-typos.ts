import { KNOWN_SERVICES, SERVICE_NAME_MISTAKES, knownTypesOf } from '../scan/known-resource-types.js';
import { typoDistance } from './suggest.js';

/** What a resource-type pattern most likely meant, and which part of it looks misspelt. */
export interface LikelyMeant {
  readonly meant: string;
  readonly part: 'service' | 'type';
}

/**
 * The known resource type (or pattern) `pattern` is most likely a misspelling of: `s3:buckets` → `s3:bucket`,
 * `sagemaker:trainingjob` → `sagemaker:training-job`, `sagmaker:*` → `sagemaker:*`, `emr:*` → `elasticmapreduce:*`.
 * Undefined for a type tagaudit knows, and for one it does not know that is close to none it knows: AWS adds types
 * all the time, and such a type is taken as written.
 */
export function likelyMeant(pattern: string): LikelyMeant | undefined {
  const colon = pattern.indexOf(':');
  if (colon <= 0) return undefined;
  const written = pattern.slice(0, colon);
  const rest = pattern.slice(colon + 1);
  const service = KNOWN_SERVICES.has(written) ? written : (SERVICE_NAME_MISTAKES[written] ?? closestService(written));
  if (service === undefined) return undefined;
  const type = rest === '*' ? rest : (closestType(service, rest) ?? rest);
  const meant = `${service}:${type}`;
  if (meant === pattern) return undefined;
  return { meant, part: service === written ? 'type' : 'service' };
}

/** Compared without case and separators: `TrainingJob`, `training_job` and `trainingjob` are `training-job`. */
const loose = (s: string): string => s.toLowerCase().replace(/[-_.]/g, '');

/**
 * Whether `longer` is `shorter` with a version or a sub-service after it (`inspector2`, `mediapackagev2`,
 * `kafka-cluster`): AWS names related services so, and the shorter one is a real service too.
 */
const isVersionOf = (longer: string, shorter: string): boolean =>
  longer.startsWith(shorter) && /^(?:v?[0-9]+|-.+)$/.test(longer.slice(shorter.length));

/**
 * The known service a written one is a slip of. Short names (`sso`, `sms`, `rum`) are real services one letter away
 * from known ones, so only names of 5 letters or more are judged, and a version of a known service is left alone.
 */
function closestService(written: string): string | undefined {
  if (written.length < 5) return undefined;
  const tolerance = written.length >= 9 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const service of KNOWN_SERVICES) {
    if (isVersionOf(service, written) || isVersionOf(written, service)) continue;
    const d = loose(service) === loose(written) ? 0 : typoDistance(written, service);
    if (d < bestDistance) {
      best = service;
      bestDistance = d;
    }
  }
  return bestDistance <= tolerance ? best : undefined;
}

/**
 * The known type of `service` a written type (or `prefix*`) is a slip of: the same but for case, separators or a
 * plural `s`, or one edit away (two for types of 8 letters or more). A written type tagaudit knows comes back as it is.
 */
function closestType(service: string, written: string): string | undefined {
  const types = knownTypesOf(service).map((t) => t.slice(service.length + 1));
  if (written.endsWith('*')) {
    const prefix = written.slice(0, -1);
    if (types.some((t) => t.startsWith(prefix))) return written;
    // A misspelt prefix is compared with the known types' prefixes of its length; a short one says too little.
    if (prefix.length < 4) return undefined;
    const hit = closest(prefix, [...new Set(types.filter((t) => t.length >= prefix.length).map((t) => t.slice(0, prefix.length)))]);
    return hit === undefined ? undefined : `${hit}*`;
  }
  return types.includes(written) ? written : closest(written, types);
}

function closest(written: string, candidates: readonly string[]): string | undefined {
  const folded = loose(written);
  const same = candidates.find((c) => loose(c) === folded || `${loose(c)}s` === folded || `${loose(c)}es` === folded);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = typoDistance(written.toLowerCase(), candidate.toLowerCase());
    if (d <= (candidate.length >= 8 ? 2 : 1) && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
