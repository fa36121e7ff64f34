import type { ScanError } from '../report/types.js';
import { redactText } from '../pii/redact.js';

/** Causes first met after the limit that are still listed (one entry each), so a flood of one cause cannot hide others. */
const LATE_CAUSES = 100;

/**
 * Collects the gaps of a run. A million bad lines must not become a million-entry report, so after `limit`
 * entries only a count is kept per cause (source and error code) — except that the first error of a cause not met
 * before is still listed (up to LATE_CAUSES of them): a region denied in 200 accounts must not hide the one account
 * whose role could not be assumed. list() ends with one entry per cause saying how many were left out.
 */
export class ErrorLog {
  private readonly kept: ScanError[] = [];
  private dropped = 0;
  private lateCauses = 0;
  private readonly causes = new Map<string, { source: string; code?: string; dropped: number }>();

  constructor(
    private readonly limit = 1000,
    /** Sees every error as it happens (the CLI echoes the first few to stderr). */
    private readonly onError?: (error: ScanError, index: number) => void,
  ) {}

  readonly add = (raw: ScanError): void => {
    // AWS error messages can quote tag values, and a gap recorded in an inventory file holds whatever the file says:
    // every field is masked before it is echoed or reported.
    const error: ScanError = {
      ...raw,
      source: redactText(raw.source),
      message: redactText(raw.message),
      ...(raw.accountId !== undefined ? { accountId: redactText(raw.accountId) } : {}),
      ...(raw.region !== undefined ? { region: redactText(raw.region) } : {}),
      ...(raw.code !== undefined ? { code: redactText(raw.code) } : {}),
    };
    this.onError?.(error, this.count);
    const key = `${error.source}\u0000${error.code ?? ''}`;
    let cause = this.causes.get(key);
    const isNew = cause === undefined;
    if (!cause) {
      cause = { source: error.source, ...(error.code !== undefined ? { code: error.code } : {}), dropped: 0 };
      this.causes.set(key, cause);
    }
    if (this.kept.length < this.limit) this.kept.push(error);
    else if (isNew && this.lateCauses < LATE_CAUSES) {
      this.lateCauses++;
      this.kept.push(error);
    } else {
      cause.dropped++;
      this.dropped++;
    }
  };

  get count(): number {
    return this.kept.length + this.dropped;
  }

  list(): ScanError[] {
    if (this.dropped === 0) return [...this.kept];
    const summaries: ScanError[] = [];
    for (const c of this.causes.values()) {
      if (c.dropped === 0) continue;
      const what = `${c.source} errors${c.code !== undefined ? ` (${c.code})` : ''}`;
      summaries.push({ source: c.source, ...(c.code !== undefined ? { code: c.code } : {}), message: `… and ${c.dropped} more ${what} not listed` });
    }
    return [...this.kept, ...summaries];
  }
}
