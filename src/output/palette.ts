/** Colours by meaning, built once per run for a colour level (0 = none), so formatters stay pure. */
import { Chalk, type ChalkInstance } from 'chalk';
import type { ColorLevel } from './color.js';

type Paint = (text: string) => string;

export interface Palette {
  level: ColorLevel;
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
  const bySeverity: Record<string, Paint> = {
    debug: chalk.gray,
    info: chalk.green,
    notice: chalk.cyan,
    warn: chalk.yellow,
    warning: chalk.yellow,
    error: chalk.red,
    err: chalk.red,
    critical: chalk.bgRed.white.bold,
    fatal: chalk.bgRed.white.bold,
  };
  return {
    level,
    severity: (severity) => (severity && bySeverity[severity]) || plain,
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
