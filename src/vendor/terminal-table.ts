// Colors and tables for the terminal report (chalk, cli-table3 and what they load). The build replaces this module's
// output with a one-file bundle of them (scripts/bundle-vendor.mjs).
export { Chalk } from 'chalk';
export type { ChalkInstance } from 'chalk';
export { default as Table } from 'cli-table3';
