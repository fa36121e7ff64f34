import { main } from './main.js';
import { processDeps } from './deps.js';

/** A reader that went away (`tagaudit rules | head`) is not an error: stop quietly. */
function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** Entry point for bin/tagaudit: runs main and sets the exit code once it is known. */
export function run(): void {
  exitQuietlyOnBrokenPipe(process.stdout);
  exitQuietlyOnBrokenPipe(process.stderr);
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
