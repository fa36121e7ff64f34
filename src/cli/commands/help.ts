import type { RegisterCommand } from '../command-io.js';

/**
 * `tagaudit help [command]`, in place of commander's built-in one, which prints the overall help and exits 0 for a
 * command that does not exist (`tagaudit help bogus`) or a flag (`tagaudit help --bogus`). Here an unknown command
 * is the usage error `tagaudit bogus` gives (exit 2, with commander's "Did you mean …?"), and a flag is an unknown option.
 */
export const registerHelp: RegisterCommand = (program) => {
  program.helpCommand(false);
  program
    .command('help')
    .description('display help for command')
    .argument('[command]', 'the command to describe')
    .action(async (name: string | undefined) => {
      if (name === undefined) return program.help();
      const command = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (command) return command.help();
      // The name as a command line of its own (after `--`, so that it is never read as a flag): commander reports it
      // as an unknown command, exactly as for `tagaudit bogus`.
      await program.parseAsync(['--', name], { from: 'user' });
    });
};
