/**
 * B2: as B1 with `-o pretty` and `FORCE_COLOR=1` (coloured lines), against the same baseline; every
 * output line of a separate run must carry its event's request id, in order.
 */
import { runTailThroughput } from './tail-throughput.js';

await runTailThroughput({
  bench: 'B2',
  what: 'tail --url to a pipe, -o pretty, FORCE_COLOR=1',
  output: ['-o', 'pretty'],
  env: { FORCE_COLOR: '1' },
  target: 0.25,
  targetText: '≥ 0.25×',
  checkText: 'each line holds its own request id, in order',
  check: (line, index) => {
    const id = `req_${(index + 1).toString(16).padStart(12, '0')}`;
    return line.includes(id) ? undefined : `line ${index + 1} lacks ${id}: ${line.slice(0, 80)}`;
  },
});
