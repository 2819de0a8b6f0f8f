/**
 * The TUI's defaults that commands need for their options and help, in a module of their own so
 * that declaring `--buffer` does not load the view.
 */

/** Events the full-screen view keeps by default: minutes of a busy stream, flat memory for days. */
export const DEFAULT_TUI_BUFFER = 10_000;
