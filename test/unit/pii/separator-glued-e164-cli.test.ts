import { describe } from 'vitest';
import { itMasksThroughScan, type MaskCase } from './masked-through-scan.js';

// An E.164 number glued to a word by a separator, or followed by '/' and a date, as a tag value: scan reports it
// and shows it masked in the table, JSON and SARIF output (the masked hit; JSON also carries the masked value).
const CASES: readonly MaskCase[] = [
  { label: "a number glued by '/'", value: 'ops/+14155552671', shown: '+********671', secrets: ['14155552671', '4155552671'] },
  { label: "a grouped number glued by '|'", value: 'pager|+44 20 7946 0958', shown: '+44 ** **** *958', secrets: ['7946 0958', '79460958'] },
  { label: "a number followed by '/' and a date", value: '+14155552671/20240115', shown: '+********671', secrets: ['14155552671', '4155552671'] },
];

describe('an international number glued by a separator, through scan', () => {
  itMasksThroughScan(CASES, ['Notes', 'anycompany:workload:name']);
});
