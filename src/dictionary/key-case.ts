import type { KeyCase } from './policy.js';

export const KEY_CASES: readonly KeyCase[] = ['kebab', 'snake', 'camel', 'pascal', 'lower', 'any'];

// One `:`-separated segment of a key. ASCII only: the case styles are about word separators, and a key with
// non-ASCII letters is better written with keyCase `lower` or `any`.
const SEGMENT: Readonly<Record<Exclude<KeyCase, 'any' | 'lower'>, RegExp>> = {
  kebab: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  snake: /^[a-z0-9]+(?:_[a-z0-9]+)*$/,
  camel: /^[a-z][a-zA-Z0-9]*$/,
  pascal: /^[A-Z][a-zA-Z0-9]*$/,
};

function segmentMatches(segment: string, keyCase: Exclude<KeyCase, 'any'>): boolean {
  if (keyCase === 'lower') return segment.length > 0 && segment === segment.toLowerCase();
  return SEGMENT[keyCase].test(segment);
}

/**
 * Whether a key follows a case style. Namespaced keys (`anycompany:finance:cost-center`) are split on `:` and
 * each segment is checked, so an empty segment (`a::b`, a trailing `:`) never matches a style other than `any`.
 */
export function keyMatchesCase(key: string, keyCase: KeyCase): boolean {
  if (keyCase === 'any') return true;
  return key.split(':').every((segment) => segmentMatches(segment, keyCase));
}

/** A short description of a case style for messages ("lowercase words joined by hyphens"). */
export function describeKeyCase(keyCase: KeyCase): string {
  switch (keyCase) {
    case 'kebab':
      return 'lowercase words joined by hyphens (cost-center)';
    case 'snake':
      return 'lowercase words joined by underscores (cost_center)';
    case 'camel':
      return 'camelCase (costCenter)';
    case 'pascal':
      return 'PascalCase (CostCenter)';
    case 'lower':
      return 'lowercase';
    case 'any':
      return 'any case';
  }
}
