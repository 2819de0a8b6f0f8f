/** Colours by meaning, built once per run for a colour level (0 = none), so formatters stay pure. */
import { Chalk, type ChalkInstance } from 'chalk';
import { SEVERITIES } from '../model/event.js';
import type { ColorLevel } from './color.js';
import { SEVERITY_STYLES, type SeverityStyle, severityStyle } from './severity-style.js';

type Paint = (text: string) => string;

export interface Palette {
  level: ColorLevel;
  /** The level's colour from the one table (severity-style.ts); plain for unknown names. */
  severity(severity: string | undefined): Paint;
  time: Paint;
  source: Paint;
  dim: Paint;
  key: Paint;
  bold: Paint;
  warn: Paint;
  error: Paint;
  ok: Paint;
}

const plain: Paint = (text) => text;

export function createPalette(level: ColorLevel): Palette {
  if (level === 0) {
    return {
      level,
      severity: () => plain,
      time: plain,
      source: plain,
      dim: plain,
      key: plain,
      bold: plain,
      warn: plain,
      error: plain,
      ok: plain,
    };
  }
  const chalk: ChalkInstance = new Chalk({ level });
  const painters = new Map<SeverityStyle, Paint>(
    SEVERITIES.map((name) => [SEVERITY_STYLES[name], chalkFor(chalk, SEVERITY_STYLES[name])]),
  );
  return {
    level,
    severity: (severity) => {
      const style = severityStyle(severity);
      return (style && painters.get(style)) ?? plain;
    },
    time: chalk.gray,
    source: chalk.magenta,
    dim: chalk.dim,
    key: chalk.cyan,
    bold: chalk.bold,
    warn: chalk.yellow,
    error: chalk.red,
    ok: chalk.green,
  };
}

/**
 * What a paint puts around text that holds no escape and no line break (chalk adds nothing else
 * there): formatters that build a whole line at once concatenate these instead of calling chalk per
 * part. Empty text stays empty, as with chalk.
 */
export interface Wrap {
  open: string;
  close: string;
}

export function wrapOf(paint: Paint): Wrap {
  const probe = '\u{e000}';
  const [open = '', close = ''] = paint(probe).split(probe);
  return { open, close };
}

export function wrapText(wrap: Wrap, text: string): string {
  return text === '' ? '' : wrap.open + text + wrap.close;
}

function chalkFor(chalk: ChalkInstance, style: SeverityStyle): Paint {
  let paint = chalk;
  if (style.color) paint = paint[style.color];
  if (style.backgroundColor === 'red') paint = paint.bgRed;
  if (style.bold) paint = paint.bold;
  if (style.dim) paint = paint.dim;
  return paint === chalk ? plain : paint;
}
