/**
 * The one severity→style table of the program: the pretty lines, the tables, `stats` and the
 * live view all paint a level from here. Styles are data (not chalk calls), so that every output
 * shows a level alike.
 */
import { normalizeSeverity, type Severity } from '../model/event.js';

export interface SeverityStyle {
  /** Short upper-case name, at most LEVEL_LABEL_WIDTH characters. */
  label: string;
  /** Foreground colour name (as chalk knows it); none: the terminal's default. */
  color?: 'cyan' | 'yellow' | 'red' | 'white';
  backgroundColor?: 'red';
  bold?: boolean;
  dim?: boolean;
  /** The loud levels colour the whole message, not only the label. */
  paintsMessage: boolean;
}

/** Width of the level column in line output. */
export const LEVEL_LABEL_WIDTH = 5;

export const SEVERITY_STYLES: Readonly<Record<Severity, SeverityStyle>> = Object.freeze({
  debug: { label: 'DEBUG', dim: true, paintsMessage: false },
  info: { label: 'INFO', paintsMessage: false },
  notice: { label: 'NOTE', color: 'cyan', paintsMessage: false },
  warn: { label: 'WARN', color: 'yellow', paintsMessage: false },
  error: { label: 'ERROR', color: 'red', paintsMessage: true },
  critical: { label: 'CRIT', color: 'white', backgroundColor: 'red', bold: true, paintsMessage: true },
});

/**
 * The style of a severity name or alias in any case (`WARNING` → warn), or undefined for a name
 * that is not a severity (some streams carry their own levels; they are shown unstyled).
 */
export function severityStyle(name: string | undefined): SeverityStyle | undefined {
  const severity = name === undefined ? undefined : normalizeSeverity(name);
  return severity === undefined ? undefined : SEVERITY_STYLES[severity];
}

/** The level column's text for any name: the table's label, or the name itself cut to the width. */
export function severityLabel(name: string | undefined): string {
  if (!name) return '-';
  return severityStyle(name)?.label ?? name.toUpperCase().slice(0, LEVEL_LABEL_WIDTH);
}
