import type { Command } from 'commander';
import type { CliDeps } from './deps.js';

/** What a command's action gets: the injected I/O and a way to set the process exit code. */
export interface CommandIo {
  readonly deps: CliDeps;
  setExitCode(code: number): void;
}

/** Each command file exports one of these; it declares flags and lazily imports the work. */
export type RegisterCommand = (program: Command, io: CommandIo) => void;
