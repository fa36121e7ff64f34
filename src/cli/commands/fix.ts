import type { RegisterCommand } from '../command-io.js';

// Placeholder until the command lands; it is registered so --help lists it.
export const registerFix: RegisterCommand = (program, io) => {
  program
    .command('fix')
    .description('(not implemented yet)')
    .action(() => {
      io.deps.stderr.write('tagaudit: fix is not implemented yet\n');
      io.setExitCode(3);
    });
};
