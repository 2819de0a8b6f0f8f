/**
 * Decides the colour level once, from `--color`, NO_COLOR, FORCE_COLOR and whether the stream is a
 * terminal. chalk 5 ignores NO_COLOR (docs/design.md "Traps"), so the decision is made here and handed on.
 */

export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];
export type ColorLevel = 0 | 1 | 2 | 3;

export function resolveColorLevel(options: {
  mode: ColorMode;
  env: Readonly<Record<string, string | undefined>>;
  isTTY: boolean;
}): ColorLevel {
  const { mode, env, isTTY } = options;
  if (mode === 'never') return 0;
  const forced = forcedLevel(env.FORCE_COLOR);
  if (mode === 'always')
    return forced && forced > 0 ? forced : (Math.max(levelFromTerm(env), 1) as ColorLevel);
  if (env.NO_COLOR) return 0;
  if (forced !== undefined) return forced;
  if (!isTTY || env.TERM === 'dumb') return 0;
  return levelFromTerm(env);
}

function forcedLevel(value: string | undefined): ColorLevel | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === 'true') return 1;
  if (value === 'false') return 0;
  const level = Number(value);
  if (Number.isInteger(level) && level >= 0 && level <= 3) return level as ColorLevel;
  return 1;
}

function levelFromTerm(env: Readonly<Record<string, string | undefined>>): ColorLevel {
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (env.TERM?.includes('256')) return 2;
  return 1;
}
