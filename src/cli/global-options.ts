/**
 * The options every command accepts, in a module of their own so that commands, actions and the
 * connection code can name them without importing the program (which imports every command).
 */
import type { ColorMode } from '../output/color.js';

/** Options every command accepts (read with `command.optsWithGlobals()`). */
export interface GlobalOptions {
  profile?: string;
  apiUrl?: string;
  color: ColorMode | false;
  debug?: boolean;
  verbose?: boolean;
  /** Allow sending a token over plain http:// to a host that is not loopback. */
  insecure?: boolean;
}
