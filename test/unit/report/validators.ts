import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject } from 'ajv';

// ajv-draft-04 and ajv-formats are CommonJS with `exports.default`; under NodeNext the default import is module.exports.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

const root = new URL('../../../', import.meta.url);
const load = (path: string): object => JSON.parse(readFileSync(new URL(path, root), 'utf8')) as object;

const reportAjv = new Ajv2020({ allErrors: true, strict: true });
addFormats(reportAjv);
const reportValidator = reportAjv.compile(load('schema/report.schema.json'));

// The official OASIS schema is draft-04 and uses keywords strict mode does not know.
const sarifAjv = new AjvDraft04({ allErrors: true, strict: false });
addFormats(sarifAjv);
const sarifValidator = sarifAjv.compile(load('test/fixtures/sarif-schema-2.1.0.json'));

const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

/** Errors from validating against schema/report.schema.json; [] when valid. */
export function reportSchemaErrors(report: unknown): string[] {
  return reportValidator(report) ? [] : describe(reportValidator.errors);
}

/** Errors from validating against the official SARIF 2.1.0 schema; [] when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  return sarifValidator(log) ? [] : describe(sarifValidator.errors);
}
