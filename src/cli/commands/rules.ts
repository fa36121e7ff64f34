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
    .action(async (options: RulesOptions) => {
      const [{ ALL_RULE_META }, { formatRulesJson, formatRulesTable }] = await Promise.all([
        import('../../rules/index.js'),
        import('../../rules/rules-listing.js'),
      ]);
      const { stdout } = io.deps;
      stdout.write(options.format === 'json' ? formatRulesJson(ALL_RULE_META) : formatRulesTable(ALL_RULE_META, stdout.isTTY ? stdout.columns : undefined));
    });
};
