/**
 * Tagging dictionaries for tests, written as YAML the way a user writes them, from the few tags the tests share.
 * A test picks the tags its scenario needs and states only what differs from the usual (an extra alias, account
 * defaults …), so the dictionary a test runs against stays visible in the test.
 */

export const ENV = 'anycompany:workload:environment';
export const APP = 'anycompany:workload:application-id';
export const OWNER = 'anycompany:finance:owner';
export const COST_CENTER = 'anycompany:finance:cost-center';

export interface TagEntry {
  readonly key: string;
  readonly category: 'workload' | 'financial';
  readonly purpose: string;
  readonly mandatory: boolean;
  readonly costAllocation: boolean;
  readonly values?: readonly string[];
  readonly valueAliases?: Readonly<Record<string, string>>;
  readonly aliases?: readonly string[];
  readonly pattern?: string;
  /** Account id → the value a resource of that account gets when it lacks the tag. */
  readonly accountDefaults?: Readonly<Record<string, string>>;
}

/** The environment tag: development, staging or production; `prod` means production; `env` is its old name. */
export const environmentTag = (o: Partial<TagEntry> = {}): TagEntry => ({
  key: ENV,
  category: 'workload',
  purpose: 'Environment',
  mandatory: true,
  costAllocation: true,
  values: ['development', 'staging', 'production'],
  valueAliases: { prod: 'production' },
  aliases: ['env'],
  ...o,
});

/** The application id: `app-` and four digits. */
export const applicationTag = (): TagEntry => ({
  key: APP,
  category: 'workload',
  purpose: 'Application',
  mandatory: true,
  costAllocation: true,
  pattern: '^app-[0-9]{4}$',
});

/** The owner: a lower-case team name. */
export const ownerTag = (): TagEntry => ({
  key: OWNER,
  category: 'financial',
  purpose: 'Owner',
  mandatory: true,
  costAllocation: true,
  pattern: '^[a-z][a-z0-9-]*$',
});

/** The cost center: `cc-` and four digits unless told otherwise. */
export const costCenterTag = (o: Partial<TagEntry> = {}): TagEntry => ({
  key: COST_CENTER,
  category: 'financial',
  purpose: 'Cost center',
  mandatory: true,
  costAllocation: true,
  pattern: '^cc-[0-9]{4}$',
  ...o,
});

export interface DictionaryOptions {
  /** Keys must be kebab-case and start with `anycompany:` (the conventions of the shipped dictionary). */
  readonly prefixed?: boolean;
}

function entryYaml(t: TagEntry): string {
  const lines = [`  - key: ${t.key}`, `    category: ${t.category}`, `    purpose: ${t.purpose}`, `    mandatory: ${t.mandatory}`, `    costAllocation: ${t.costAllocation}`];
  if (t.values) lines.push(`    values: [${t.values.join(', ')}]`);
  if (t.valueAliases)
    lines.push(
      `    valueAliases: { ${Object.entries(t.valueAliases)
        .map(([from, to]) => `${from}: ${to}`)
        .join(', ')} }`,
    );
  if (t.aliases) lines.push(`    aliases: [${t.aliases.join(', ')}]`);
  if (t.pattern) lines.push(`    pattern: '${t.pattern}'`);
  if (t.accountDefaults) lines.push('    accountDefaults:', ...Object.entries(t.accountDefaults).map(([account, value]) => `      "${account}": ${value}`));
  return lines.map((l) => `${l}\n`).join('');
}

/** A dictionary named `name` with these tags; unknown keys are not reported (a test's seeding adds some). */
export function dictionaryYaml(name: string, tags: readonly TagEntry[], options: DictionaryOptions = {}): string {
  const conventions = [...(options.prefixed ? ['  keyCase: kebab', '  requiredPrefix: "anycompany:"'] : []), '  unknownKeys: off'];
  return `version: 1\nname: ${name}\nconventions:\n${conventions.map((l) => `${l}\n`).join('')}tags:\n${tags.map(entryYaml).join('')}`;
}
