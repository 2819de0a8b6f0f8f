/**
 * How hard the property tests try: `SOTAIL_FC_RUNS` runs per fast-check property (default 100,
 * fast-check's own; a deep run sets more, e.g. `SOTAIL_FC_RUNS=5000 npm run test:unit`). The setup
 * file applies it to every property; one whose single run is costly (a request to a server, a
 * megabyte of input) asks for a share with `fcRuns(share)`, so a deep run scales it too.
 */
const DEFAULT_RUNS = 100;

function runsFromEnvironment(): number {
  const text = process.env.SOTAIL_FC_RUNS;
  if (text === undefined || text === '') return DEFAULT_RUNS;
  const runs = Number(text);
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new Error(`SOTAIL_FC_RUNS takes a whole number from 1, got '${text}'`);
  }
  return runs;
}

export const FC_RUNS = runsFromEnvironment();

/** `share` of the runs (at least one): for a property whose single run costs more than most. */
export function fcRuns(share: number): number {
  return Math.max(1, Math.round(FC_RUNS * share));
}
