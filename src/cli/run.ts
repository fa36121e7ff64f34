import { main } from './main.js';
import { processDeps } from './deps.js';

/** Entry point for bin/tagaudit: runs main and exits once stdout has drained. */
export function run(): void {
  main(process.argv.slice(2), processDeps()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`tagaudit: error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 3;
    },
  );
}
