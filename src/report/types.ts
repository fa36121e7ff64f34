import type { Finding, RuleMeta, Severity } from '../rules/types.js';

/** 'partial': some account, region or source could not be read; such a report must never look complete. */
export type RunStatus = 'complete' | 'partial';

/** A gap in a scan: what could not be read, where, and why. */
export interface ScanError {
  readonly accountId?: string;
  readonly region?: string;
  /** 'tagging-api', 'sagemaker', 'config', 'sts', 'organizations', 'inventory', 'rule' … */
  readonly source: string;
  readonly message: string;
  readonly code?: string;
}

export interface Summary {
  resources: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  /** Findings a dictionary suppression covered: not in `findings` nor in any count above. */
  suppressed: number;
}

export interface ScanScope {
  readonly mode: 'inventory' | 'live';
  readonly inventories?: readonly string[];
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

export interface RunInfo {
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly dictionary: { readonly path: string; readonly sha256: string };
  readonly scope: ScanScope;
}

/** Everything a reporter needs; rule metadata travels with it so every format describes rules the same way. */
export interface Report {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'tagaudit'; readonly version: string };
  readonly run: RunInfo;
  readonly summary: Summary;
  readonly findings: readonly Finding[];
  readonly errors: readonly ScanError[];
  readonly rules: readonly RuleMeta[];
}
