import type { RegisterCommand } from '../command-io.js';

// Placeholder until the command lands; it is registered so --help lists it.
export const registerRules: RegisterCommand = (program, io) => {
  program
    .command('rules')
    .description('(not implemented yet)')
    .action(() => {
      io.deps.stderr.write('tagaudit: rules is not implemented yet\n');
      io.setExitCode(3);
    });
};
