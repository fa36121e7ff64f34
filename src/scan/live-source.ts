import { resolve } from 'node:path';
import type { ResourceSource } from '../audit/resource-source.js';
import type { CliDeps } from '../cli/deps.js';
import type { LiveCliOptions } from '../cli/live-options.js';
import { checkOutputPath, outputWriteError } from '../fix/output-path.js';
import { writeInventoryJsonl } from '../inventory/jsonl-writer.js';
import type { Resource } from '../inventory/resource.js';
import { displayPath } from '../report/display-path.js';
import type { ScanError } from '../report/types.js';
import { startLiveScan } from './live-scan.js';
import { createProgressDisplay } from './progress.js';

export interface LiveSourceOptions {
  readonly live: LiveCliOptions;
  readonly deps: CliDeps;
  /** Receives every gap once the scan ends (the CLI echoes the first few and lists them in the report). */
  readonly errorLog: { add(e: ScanError): void; list(): ScanError[] };
  /** --quiet: no progress line and no notes. */
  readonly quiet: boolean;
}

/**
 * The live scan as the audit pipeline's resource source: progress on stderr (TTY only), `--save-inventory` written
 * as resources stream past, notes and gaps handed over when the scan ends.
 */
export function liveSource(options: LiveSourceOptions): ResourceSource {
  const { live, deps, errorLog, quiet } = options;
  const savePath = live.saveInventory === undefined ? undefined : resolve(deps.cwd, live.saveInventory);
  // A file that cannot be written is a usage error (exit 2) found before any AWS call, as for --output-json.
  if (savePath) checkOutputPath(savePath);
  const progress = createProgressDisplay(deps.stderr, { quiet });
  const scan = startLiveScan({ ...live.scan, progress: progress.update });

  async function* resources(): AsyncGenerator<Resource> {
    const writer = savePath ? openInventory(savePath) : undefined;
    let finished = false;
    try {
      for await (const r of scan.resources()) {
        await writer?.write(r);
        yield r;
      }
      finished = true;
    } finally {
      progress.finish();
      for (const e of scan.errors) errorLog.add(e);
      if (writer) {
        if (finished) {
          // A partial scan's inventory says so: these lines make an offline re-run incomplete too.
          for (const e of scan.errors) await writer.writeLine(JSON.stringify({ scanError: e }));
          await writer.close();
        } else await writer.abort();
      }
      if (!quiet) {
        for (const n of scan.notes) deps.stderr.write(`tagaudit: note: ${n}\n`);
        if (savePath && finished) deps.stderr.write(`tagaudit: wrote ${writer?.count ?? 0} resources to ${displayPath(live.saveInventory!)}\n`);
      }
    }
  }

  return {
    resources: resources(),
    scope: () => scan.scope(),
    errors: () => errorLog.list(),
  };
}

function openInventory(path: string): ReturnType<typeof writeInventoryJsonl> {
  try {
    return writeInventoryJsonl(path);
  } catch (err) {
    throw outputWriteError(path, err);
  }
}
