import type { RegisterCommand } from '../command-io.js';

// Placeholder until the command lands; it is registered so --help lists it.
export const registerScan: RegisterCommand = (program, io) => {
  program
    .command('scan')
    .description('(not implemented yet)')
    .action(() => {
      io.deps.stderr.write('tagaudit: scan is not implemented yet\n');
      io.setExitCode(3);
    });
};
