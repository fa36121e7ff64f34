import type { RegisterCommand } from '../command-io.js';

// Placeholder until the command lands; it is registered so --help lists it.
export const registerUndo: RegisterCommand = (program, io) => {
  program
    .command('undo')
    .description('(not implemented yet)')
    .action(() => {
      io.deps.stderr.write('tagaudit: undo is not implemented yet\n');
      io.setExitCode(3);
    });
};
