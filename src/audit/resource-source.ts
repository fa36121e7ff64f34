import { readInventoryBatches, type BadLinePolicy } from '../inventory/read-inventory.js';
import type { Resource } from '../inventory/resource.js';
import type { ScanError, ScanScope } from '../report/types.js';

/** Where a run's resources come from: inventory files or a live scan. Nothing downstream knows which. */
export interface ResourceSource {
  /** Resources one by one or in batches; iterate once. */
  readonly resources: AsyncIterable<Resource | readonly Resource[]>;
  readonly scope: () => ScanScope;
  /** Gaps met while reading (complete once `resources` is exhausted). Any gap makes the run partial. */
  readonly errors: () => readonly ScanError[];
}

export interface InventorySourceOptions {
  /** Files as the user named them, read in order. */
  readonly paths: readonly string[];
  readonly onBadLine: BadLinePolicy;
  /** Where relative paths resolve. */
  readonly cwd: string;
  /** Receives each bad line as it is met (and keeps it: errors() lists what this log lists). */
  readonly errorLog: { add(e: ScanError): void; list(): ScanError[] };
}

/** Reads inventory files one after another as one stream. */
export function inventorySource(options: InventorySourceOptions): ResourceSource {
  const { paths, onBadLine, cwd, errorLog } = options;
  async function* all(): AsyncGenerator<readonly Resource[]> {
    for (const path of paths) yield* readInventoryBatches(path, { onBadLine, cwd, onError: errorLog.add });
  }
  return {
    resources: all(),
    scope: () => ({ mode: 'inventory', inventories: [...paths] }),
    errors: () => errorLog.list(),
  };
}
