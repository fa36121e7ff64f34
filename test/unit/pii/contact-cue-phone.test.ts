import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';

// Acceptance s11 finding 1: "ping 4155552671" was not a phone number while "pager 4155552671" was. A request to get in
// touch right before a bare number makes it one; the same words elsewhere, or before a number that is no valid phone
// number, do not.
const phones = (key: string, value: string): string[] => detectPii(key, value).filter((h) => h.kind === 'phone').map((h) => h.match);

describe('a contact cue right before a bare number', () => {
  const POSITIVES: readonly [string, string, string][] = [
    ['notes', 'ping 4155552671', '4155552671'],
    ['notes', 'Ping: 4155552671', '4155552671'],
    ['notes', 'reach me 4155552671', '4155552671'],
    ['notes', 'reach me at 4155552671', '4155552671'],
    ['comment', 'text me on 4155552671', '4155552671'],
    ['description', 'out of hours ping me @ 4155552671', '4155552671'],
    ['notes', 'Reach Carlos on 4155552671', '4155552671'],
    ['remarks', 'call us: 4155552671', '4155552671'],
    ['notes', 'ring me - 2025550143 after 6pm', '2025550143'],
    // pasted from a terminal, ANSI colours and all
    ['notes', '\u001b[31mRED\u001b[0m ping 4155552671', '4155552671'],
    ['notes', 'reach me\u00a0at\u00a04155552671', '4155552671'],
    // a free-text key is not needed
    ['purpose', 'batch scoring; ping 4155552671 if it fails', '4155552671'],
  ];
  for (const [key, value, match] of POSITIVES) {
    it(`finds the number in ${key}=${JSON.stringify(value)}`, () => {
      expect(phones(key, value)).toEqual([match]);
    });
  }

  const NEGATIVES: readonly [string, string][] = [
    ['notes', 'ping account 123456789012'],
    ['notes', 'ping 123456789012'],
    ['notes', 'ping 192.168.100.200'],
    ['notes', 'ping interval 3600000 ms'],
    ['notes', 'ping job 4155552671'],
    ['notes', 'shipping 4155552671'],
    ['notes', 'mapping 4155552671 rows'],
    ['notes', 'ping #data-help, ticket 4155552671'],
    ['ticket', '4155552671'],
    ['notes', 'reach out via INC4155552671'],
    ['notes', 'ping 2024-01-15 release'],
    ['notes', 'ping: 1234-5678-90 is the batch'],
    ['notes', 'text 4155552671'],
  ];
  for (const [key, value] of NEGATIVES) {
    it(`finds no phone number in ${key}=${JSON.stringify(value)}`, () => {
      expect(phones(key, value)).toEqual([]);
    });
  }
});
