import { readFile } from 'node:fs/promises';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from '../version.js';

/** The published schema, which editors read too. */
export const DICTIONARY_SCHEMA_URL = new URL('schema/dictionary.schema.json', PACKAGE_ROOT);

let compiled: Promise<ValidateFunction> | undefined;

/** Compiles schema/dictionary.schema.json once per process; ajv is imported here, lazily, to keep startup fast. */
function validator(): Promise<ValidateFunction> {
  compiled ??= (async () => {
    const [ajvModule, schemaText] = await Promise.all([import('ajv'), readFile(DICTIONARY_SCHEMA_URL, 'utf8')]);
    // ajv is CommonJS; its named `Ajv` export is the class both at runtime and in its typings under NodeNext.
    const { Ajv } = ajvModule;
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
    // VS Code / yaml-language-server show it for a failed `pattern`; we do too (see schema-errors.ts).
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    return ajv.compile(JSON.parse(schemaText) as object);
  })();
  compiled.catch(() => {
    compiled = undefined;
  });
  return compiled;
}

/** Validates dictionary data against the schema; returns ajv's errors (empty when valid). */
export async function validateAgainstSchema(data: unknown): Promise<readonly ErrorObject[]> {
  const validate = await validator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
