/** Exit codes, as documented in --help and the README. */
export const EXIT = {
  /** No finding at or above --fail-on. */
  OK: 0,
  /** Findings at or above --fail-on. */
  FINDINGS: 1,
  /** Usage, flag, dictionary or input error. */
  USAGE: 2,
  /** Scan incomplete (an account, region or source failed) or runtime error. */
  INCOMPLETE: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage, flag, dictionary or input error
  3  scan incomplete (an account, region or source failed) or runtime error`;
