import { Option } from 'commander';
import type { RegisterCommand } from '../command-io.js';

interface RulesOptions {
  readonly format: 'table' | 'json';
}

export const registerRules: RegisterCommand = (program, io) => {
  program
    .command('rules')
    .description('List the audit rules: id, default severity, whether a fix is proposed, description')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      `
Examples:
  tagaudit rules
  tagaudit rules --format json

Each rule has a page in docs/rules/<id>.md. A dictionary changes a rule's severity or turns it off with
rules: {<id>: error|warning|note|off}. When something else decides the level of a rule's findings, its
description ends with "Severity: ..." (severityNote in --format json).

Exit codes:
  0  the list was printed
  2  usage error (bad flag)
`,
    )
    .action(async (options: RulesOptions) => {
      const [{ ALL_RULE_META }, { formatRulesJson, formatRulesTable }] = await Promise.all([
        import('../../rules/index.js'),
        import('../../rules/rules-listing.js'),
      ]);
      const { stdout } = io.deps;
      stdout.write(options.format === 'json' ? formatRulesJson(ALL_RULE_META) : formatRulesTable(ALL_RULE_META, stdout.isTTY ? stdout.columns : undefined));
    });
};
