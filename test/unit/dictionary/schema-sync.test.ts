import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { KNOWN_RULE_IDS } from '../../../src/dictionary/rule-ids.js';
import { PII_KINDS } from '../../../src/pii/kinds.js';
import { KEY_CASES } from '../../../src/dictionary/key-case.js';
import { SEVERITIES } from '../../../src/rules/types.js';

interface JsonSchema {
  $schema?: string;
  properties?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  description?: string;
  $ref?: string;
}

const schema = JSON.parse(readFileSync(new URL('../../../schema/dictionary.schema.json', import.meta.url), 'utf8')) as JsonSchema;
const props = schema.properties!;

describe('schema/dictionary.schema.json stays in step with the code', () => {
  it('is a valid draft-07 schema that ajv compiles in strict mode', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('lists exactly the known rule ids under rules', () => {
    expect(Object.keys(props.rules!.properties!).sort()).toEqual([...KNOWN_RULE_IDS].sort());
  });

  it('lists exactly the PII detectors', () => {
    expect(props.pii!.properties!.detectors!.items!.enum).toEqual([...PII_KINDS]);
  });

  it('lists exactly the key case styles and severities', () => {
    expect(props.conventions!.properties!.keyCase!.enum).toEqual([...KEY_CASES]);
    expect(schema.definitions!.severity!.enum).toEqual([...SEVERITIES]);
    expect(schema.definitions!.ruleLevel!.enum).toEqual([...SEVERITIES, 'off']);
  });

  it('documents every tag field for editors', () => {
    const tagProps = schema.definitions!.tag!.properties!;
    for (const [name, def] of Object.entries(tagProps)) expect(def.description, name).toBeTruthy();
    for (const [name, def] of Object.entries(props)) expect(def.description, name).toBeTruthy();
  });
});
