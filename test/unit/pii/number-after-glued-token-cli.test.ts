import { describe } from 'vitest';
import { itMasksThroughScan, type MaskCase } from './masked-through-scan.js';

// A phone number after a token with digits glued to letters, and a name whose surname is a team word, as tag values.
const CASES: readonly MaskCase[] = [
  { label: "a phone number after '24x7'", value: 'ML Ops 24x7 206-555-0142', shown: '***-***-*142', secrets: ['206', '555-0142', '5550142'] },
  { label: "a spaced phone number after '24x7'", value: 'Support 24x7 206 555 0142', shown: '*** *** *142', secrets: ['206', '555 0142', '5550142'] },
  { label: 'a surname that is a team word beside a phone number', value: 'Laura Field +44 20 7946 0958', shown: 'L*** F***', secrets: ['Laura', 'Field', '7946', '0958'] },
];

describe('numbers after glued tokens and team-word surnames, through scan', () => {
  itMasksThroughScan(CASES, ['Phone', 'Notes']);
});
