import type { RegisterCommand } from '../command-io.js';
import { registerScan } from './scan.js';
import { registerFix } from './fix.js';
import { registerUndo } from './undo.js';
import { registerValidate } from './validate.js';
import { registerRules } from './rules.js';
import { registerHelp } from './help.js';

/** The explicit command list, in --help order. */
export const COMMANDS: readonly RegisterCommand[] = [registerScan, registerFix, registerUndo, registerValidate, registerRules, registerHelp];
