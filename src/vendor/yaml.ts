// The parts of `yaml` tagaudit uses. The build replaces this module's output with a one-file bundle of them
// (scripts/bundle-vendor.mjs): Node then loads one module at start-up instead of about 70.
export { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
export type { Document, Node } from 'yaml';
