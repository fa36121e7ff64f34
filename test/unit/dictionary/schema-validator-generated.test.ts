import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, SCHEMA_PATH, generateValidatorSource } from '../../../scripts/gen-schema-validator.mjs';

describe('the precompiled dictionary schema validator', () => {
  it('is the one the published schema compiles to (regenerate: node scripts/gen-schema-validator.mjs)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generateValidatorSource(readFileSync(SCHEMA_PATH, 'utf8')));
  });

  it('changes when the schema changes', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { required: string[] };
    schema.required = [...schema.required, 'owner'];
    expect(generateValidatorSource(JSON.stringify(schema))).not.toBe(readFileSync(GENERATED_PATH, 'utf8'));
  });
});
