import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { KNOWN_RULE_IDS } from '../../../src/dictionary/rule-ids.js';
import { KEY_CASES } from '../../../src/dictionary/key-case.js';
import { PII_KINDS } from '../../../src/pii/kinds.js';

const doc = readFileSync(new URL('../../../docs/dictionary.md', import.meta.url), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  expect(start, title).toBeGreaterThan(0);
  const end = doc.indexOf('\n## ', start + 4);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe('docs/dictionary.md', () => {
  it('its complete example is a valid dictionary', async () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(section('A complete example'))![1]!;
    const { policy, warnings } = await parseDictionary(example, 'docs/dictionary.md#example');
    expect(warnings).toEqual([]);
    expect(policy.tags.map((t) => t.key)).toEqual([
      'anycompany:workload:environment',
      'anycompany:finance:cost-center',
      'anycompany:security:data-classification',
    ]);
  });

  it('documents every rule id, key case and PII detector', () => {
    const rules = section('Rules');
    for (const id of KNOWN_RULE_IDS) expect(rules, id).toContain(`| \`${id}\` |`);
    const conventions = section('Conventions');
    for (const keyCase of KEY_CASES) expect(conventions, keyCase).toContain(`| \`${keyCase}\` |`);
    const pii = section('PII');
    for (const kind of PII_KINDS) expect(pii, kind).toContain(`\`${kind}\``);
  });

  it('documents every tag field', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../schema/dictionary.schema.json', import.meta.url), 'utf8')) as {
      definitions: { tag: { properties: Record<string, unknown> } };
    };
    const entries = section('Tag entries');
    for (const field of Object.keys(schema.definitions.tag.properties)) expect(entries, field).toContain(`| \`${field}\` |`);
  });
});
