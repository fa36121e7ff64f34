import type { ErrorObject } from 'ajv';

type GeneratedValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let loaded: Promise<GeneratedValidator> | undefined;

/**
 * schema/dictionary.schema.json, compiled ahead of time by scripts/gen-schema-validator.mjs (compiling it at run time
 * cost every command ~110 ms). Imported lazily, to keep `--help` fast.
 */
function validator(): Promise<GeneratedValidator> {
  loaded ??= import('./dictionary-schema.generated.js').then((m) => m.validate as GeneratedValidator);
  return loaded;
}

/** Validates dictionary data against the schema; returns ajv's errors (empty when valid). */
export async function validateAgainstSchema(data: unknown): Promise<readonly ErrorObject[]> {
  const validate = await validator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
