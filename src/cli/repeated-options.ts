import type { EventEmitter } from 'node:events';
import type { Command, Option } from 'commander';

/** Parsers declared with `collecting`: their option may be given more than once. */
const COLLECTORS = new WeakSet<object>();

/**
 * Marks an option's parser as one that adds each value to the ones before (`-i a.jsonl -i b.jsonl`), so that
 * refuseRepeatedOptions lets the option be repeated.
 */
export function collecting<T>(parse: (value: string, previous: T | undefined) => T): (value: string, previous: T | undefined) => T {
  COLLECTORS.add(parse);
  return parse;
}

/**
 * Refuses (exit 2) an option that takes one value given twice: `undo --journal a.jsonl --journal b.jsonl`,
 * `--fail-on warning --fail-on none`. Commander keeps the last one without a word, so a job would undo another
 * journal, or pass a gate, than the one its author read first. Options whose parser was declared `collecting`
 * (--inventory, --fix-type) and variadic ones stay repeatable. Flags without a value (--apply, -q) may be repeated:
 * twice means the same as once.
 */
export function refuseRepeatedOptions(cmd: Command): void {
  for (const option of cmd.options) {
    if (!(option.required || option.optional) || collects(option)) continue;
    // Ahead of commander's own listener, which stores the value and marks it as from the command line. A Command is an
    // EventEmitter (its typings declare only on()).
    (cmd as unknown as EventEmitter).prependListener(`option:${option.name()}`, () => {
      if (cmd.getOptionValueSource(option.attributeName()) === 'cli') cmd.error(`error: option '${option.flags}' given twice`, { code: 'tagaudit.optionRepeated' });
    });
  }
}

function collects(option: Option): boolean {
  return option.variadic || (option.parseArg !== undefined && COLLECTORS.has(option.parseArg));
}
