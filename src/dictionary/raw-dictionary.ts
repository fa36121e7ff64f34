import type { Severity } from '../rules/types.js';
import type { KeyCase, UnknownKeysLevel } from './policy.js';
import type { PiiKind } from '../pii/kinds.js';
import type { RawSuppression } from './suppression.js';

// The dictionary document as schema/dictionary.schema.json describes it (valid once ajv and the semantic checks
// have passed). docs/dictionary.md documents each field.

export interface RawPii {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  readonly detectors?: readonly PiiKind[];
  readonly allow?: {
    readonly values?: readonly string[];
    readonly patterns?: readonly string[];
  };
}

export interface RawTag {
  readonly key: string;
  readonly category: string;
  readonly purpose: string;
  readonly mandatory: boolean | readonly string[];
  readonly costAllocation: boolean;
  readonly inherit?: boolean | readonly string[];
  readonly values?: readonly string[];
  readonly pattern?: string;
  readonly valueAliases?: Readonly<Record<string, string>>;
  readonly aliases?: readonly string[];
  readonly default?: string;
  readonly accountDefaults?: Readonly<Record<string, string>>;
  readonly sharedValues?: readonly string[];
  readonly severity?: Severity;
}

export interface RawDictionary {
  readonly version: 1;
  readonly name: string;
  readonly description?: string;
  readonly conventions?: {
    readonly keyCase?: KeyCase;
    readonly requiredPrefix?: string;
    readonly unknownKeys?: UnknownKeysLevel;
  };
  readonly rules?: Readonly<Record<string, Severity | 'off'>>;
  readonly pii?: RawPii;
  readonly tags: readonly RawTag[];
  readonly suppressions?: readonly RawSuppression[];
}
