/**
 * B1: `sotail tail --url URL -o ndjson --count 1000000 | wc -l` on the firehose, as a ratio to
 * `curl -sN URL | sed -n 's/^data: //p' | wc -l`, with peak RSS; every output line of a separate
 * run is parsed as JSON and must be the next event, in order.
 */
import { runTailThroughput } from './tail-throughput.js';

await runTailThroughput({
  bench: 'B1',
  what: 'tail --url to a pipe, -o ndjson',
  output: ['-o', 'ndjson'],
  env: {},
  target: 0.5,
  targetText: '≥ 0.5× (stretch 0.8×), RSS ≤ 120 MB',
  maxRssMb: 120,
  checkText: 'JSON.parse of each line, payload.n = 1, 2, 3, …',
  check: (line, index) => {
    let event: { payload?: { n?: unknown } };
    try {
      event = JSON.parse(line);
    } catch {
      return `line ${index + 1} is not JSON: ${line.slice(0, 80)}`;
    }
    const n = event.payload?.n;
    return n === index + 1 ? undefined : `line ${index + 1} holds event ${String(n)}`;
  },
});
