import { Option } from 'commander';
import type { RegisterCommand } from '../command-io.js';

interface ValidateOptions {
  readonly dictionary?: string;
  readonly format: 'text' | 'json';
}

export const registerValidate: RegisterCommand = (program, io) => {
  program
    .command('validate')
    .description('Check a tagging dictionary (schema, regexes, AWS key/value rules, collisions) and print a summary')
    .argument('[dictionary]', 'dictionary file (- reads standard input); default: ./tagaudit.yaml, else the bundled dictionaries/anycompany.yaml')
    .option('-d, --dictionary <file>', 'same as the DICTIONARY argument')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  tagaudit validate                                 ./tagaudit.yaml, else the bundled dictionary
  tagaudit validate dictionaries/ml-lifecycle.yaml
  tagaudit validate tagaudit.yaml --format json
  tagaudit validate - < tagaudit.yaml               the dictionary on standard input

Exit codes:
  0  the dictionary is valid (warnings, if any, are on stderr)
  2  it is not: every problem is printed as file:line:col: path: message

Format reference: docs/dictionary.md`,
    )
    .action(async (argument: string | undefined, options: ValidateOptions) => {
      const { runValidate } = await import('../../dictionary/validate-command.js');
      io.setExitCode(await runValidate({ argument, ...options }, io.deps));
    });
};
