import type { Resource } from '../../src/inventory/resource.js';
import type { Report, ScanError } from '../../src/report/types.js';
import type { MotoWorkspace } from './moto-workspace.js';
import { read } from './read-inventory.js';

export interface SavedScan {
  readonly code: number;
  readonly stderr: string;
  /** The JSON report (empty when the scan printed none: the exit code and stderr say why). */
  readonly report: Report;
  /** What --save-inventory wrote, and the gaps it recorded (empty unless the scan ran: exit 0 or 3). */
  readonly inventory: Resource[];
  readonly inventoryErrors: ScanError[];
}

/** `tagaudit scan <args> --format json --fail-on none --save-inventory <inventory>` in the workspace, against moto or `env`. */
export async function scanSaving(ws: MotoWorkspace, args: readonly string[], inventory: string, env?: Readonly<Record<string, string>>): Promise<SavedScan> {
  const r = await ws.cli(['scan', ...args, '--format', 'json', '--fail-on', 'none', '--save-inventory', inventory], env);
  const report = (r.stdout ? JSON.parse(r.stdout) : {}) as Report;
  const saved = r.code === 0 || r.code === 3 ? await read(ws.path(inventory)) : { resources: [], errors: [] };
  return { code: r.code, stderr: r.stderr, report, inventory: saved.resources, inventoryErrors: saved.errors };
}
