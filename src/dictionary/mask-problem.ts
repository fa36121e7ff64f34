import { redactText } from '../pii/redact.js';
import { displayPath } from '../report/display-path.js';
import type { DictionaryProblem } from './dictionary-error.js';

/**
 * A problem with the personal data in its message and path masked (`j***@e*****e.com`). Messages quote what the
 * dictionary says (an unknown property, an enum value, a default) and paths name mapping keys (account ids, value
 * aliases); either may be personal data, and no output shows that in full — whatever the dictionary's own `pii:`
 * settings, which govern tags, not tagaudit's messages. The file name is masked the way every report shows a path.
 */
export function maskProblem(problem: DictionaryProblem): DictionaryProblem {
  return {
    ...problem,
    file: displayPath(problem.file),
    ...(problem.path !== undefined ? { path: redactText(problem.path) } : {}),
    message: redactText(problem.message),
  };
}
