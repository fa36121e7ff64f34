import { describe } from 'vitest';
import { itMasksThroughScan, type MaskCase } from './masked-through-scan.js';

// Acceptance s14 D2–D7, D9, D13 and the '/' phone cases through `tagaudit scan`: each value was printed raw in the
// table, JSON and SARIF (in the unknown-tag-key finding); it is now reported as pii-in-tag and shown masked everywhere
// (`shown` is the masked part the pii-in-tag message quotes).
const CASES: readonly MaskCase[] = [
  { label: 'a + number in an ARN', value: 'arn:aws:iam::111122223333:user/+14155552671', shown: '+********671', secrets: ['4155552671', '14155552671'] },
  { label: 'an SSN in an ARN', value: 'arn:aws:iam::111122223333:user/078-05-1120', shown: '***-**-1120', secrets: ['078-05-1120', '078051120'] },
  {
    label: 'an address after a long prefix',
    value: 'escalation-contact-for-the-nightly-feature-refresh-pipeline-is-jane.doe@example.com',
    shown: 'c***@e*****e.com',
    secrets: ['jane.doe', 'example.com'],
  },
  { label: 'an address with a full-width dot', value: 'jane.doe@example．com', shown: 'j***@e*****e．com', secrets: ['jane.doe', 'example'] },
  { label: 'a 1-NXX-NXX-XXXX number', value: '1-415-555-2671', shown: '*-***-***-*671', secrets: ['415-555-2671', '4155552671'] },
  { label: "a + number with a '/' in it", value: '+4930123/4567', shown: '+*******/*567', secrets: ['4930123', '30123'] },
  { label: 'a URL-encoded + number', value: '%2B14155552671', shown: '%2B********671', secrets: ['4155552671', '14155552671'] },
  { label: 'an address with digits glued on', value: 'jane.doe@example.com2024', shown: 'j***@e*****e.com', secrets: ['jane.doe', 'example.com'] },
  { label: 'an address on a private-use domain', value: 'jane.doe@example.internal', shown: 'j***@e*****e.internal', secrets: ['jane.doe', 'example.internal'] },
  { label: "an address with a space before the '@'", value: 'jane.doe @example.com', shown: 'j***@e*****e.com', secrets: ['jane.doe', 'example.com'] },
];

describe('s14 detection gaps, through the CLI', () => {
  itMasksThroughScan(CASES, ['notes']);
});
