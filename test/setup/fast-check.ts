/**
 * Every fast-check property runs `FC_RUNS` times unless it asks for a share of it (test/helpers/
 * fast-check.ts): `npm test` stays quick, and a deep run is one environment variable away.
 */
import fc from 'fast-check';
import { FC_RUNS } from '../helpers/fast-check.js';

fc.configureGlobal({ numRuns: FC_RUNS });
