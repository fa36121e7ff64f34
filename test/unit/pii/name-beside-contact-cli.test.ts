import { describe } from 'vitest';
import { itMasksThroughScan, type MaskCase } from './masked-through-scan.js';

// A person's name written next to a phone number or e-mail address, as tag values (acceptance finding 5): both masked.
const CASES: readonly MaskCase[] = [
  { label: 'name, then a phone number', value: 'Mary Major +1 (206) 555-0142', shown: 'M*** M***', secrets: ['Mary', 'Major', '206', '555-0142', '5550142'] },
  { label: 'name <address>', value: 'Mary Major <mary@example.com>', shown: 'M*** M***', secrets: ['Mary', 'Major', 'mary@'] },
  { label: 'name, then an address', value: 'Mary Major mary@example.com', shown: 'M*** M***', secrets: ['Mary', 'Major', 'mary@'] },
  { label: 'phone number, then the name', value: '+1 206 555 0142 Mary Major', shown: 'M*** M***', secrets: ['Mary', 'Major', '206', '555 0142', '5550142'] },
  { label: 'cue word, name, phone number', value: 'Owner: Mary Major (206) 555-0142', shown: 'M*** M***', secrets: ['Mary', 'Major', '206', '555-0142', '5550142'] },
];

describe('a name beside a phone number or e-mail address, through scan', () => {
  itMasksThroughScan(CASES, ['Owner', 'Notes']);
});
