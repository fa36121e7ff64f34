import type { RegisterCommand } from '../command-io.js';

// Placeholder until the command lands; it is registered so --help lists it.
export const registerValidate: RegisterCommand = (program, io) => {
  program
    .command('validate')
    .description('(not implemented yet)')
    .action(() => {
      io.deps.stderr.write('tagaudit: validate is not implemented yet\n');
      io.setExitCode(3);
    });
};
