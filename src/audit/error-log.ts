import type { ScanError } from '../report/types.js';
import { redactText } from '../pii/redact.js';

/**
 * Collects the gaps of a run. A million bad lines must not become a million-entry report, so after `limit`
 * entries only a count is kept, and list() ends with one entry saying how many were left out.
 */
export class ErrorLog {
  private readonly kept: ScanError[] = [];
  private dropped = 0;
  private lastSource = 'inventory';

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
    this.lastSource = error.source;
    if (this.kept.length < this.limit) this.kept.push(error);
    else this.dropped++;
  };

  get count(): number {
    return this.kept.length + this.dropped;
  }

  list(): ScanError[] {
    if (this.dropped === 0) return [...this.kept];
    return [...this.kept, { source: this.lastSource, message: `… and ${this.dropped} more errors not listed` }];
  }
}
