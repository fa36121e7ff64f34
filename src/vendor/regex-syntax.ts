// ret, the regular-expression parser the backtracking check reads dictionary patterns with. The build replaces this
// module's output with a one-file bundle of it (scripts/bundle-vendor.mjs).
export { default as ret, reconstruct, types } from 'ret';
export type { Token, Tokens, tokenizer } from 'ret';
