import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/soql/index.js';
import { ALL_IDS, EVENTS } from './fixtures.js';

function idsMatching(query: string): string[] {
  const { matches } = compileQuery(query);
  return EVENTS.filter(matches).map((event) => event.event_id as string);
}

const except = (...ids: string[]) => ALL_IDS.filter((id) => !ids.includes(id));

// [query, ids of the fixture events it matches]
const CASES: Array<[string, string[]]> = [
  ['', ALL_IDS],
  ['   \n\t', ALL_IDS],
  // severity by rank, aliases on both sides, case ignored
  ['severity >= warn', ['e1', 'e2', 'e4', 'e6']],
  ['severity == warning', ['e2', 'e6']],
  ['level=error', ['e1']],
  ['SEVERITY >= ERR', ['e1', 'e4']],
  ['severity < info', ['e5']],
  ['severity > fatal', []],
  ['severity != error', except('e1')],
  ['severity IN (warn, fatal)', ['e2', 'e4', 'e6']],
  ['severity ~ "^[A-Z]"', ['e6']],
  ['severity == null', []],
  // plain text fields, bare words with punctuation, quotes
  ['source == fivem', ['e1']],
  ["source == 'fivem'", ['e1']],
  ['service = api', ['e2', 'e5']],
  ['source == auth-service', ['e4']],
  ['actor == admin:Mitch', ['e1']],
  ['message == "disk 91% full"', ['e6']],
  ['message == "VAC\\u0020kick"', ['e1']],
  ['dataset == security AND event == player_kick', ['e1']],
  ['source != api', except('e2', 'e5')],
  ['source IN (api, web)', ['e2', 'e3', 'e5']],
  ['source NOT IN (api, web)', except('e2', 'e3', 'e5')],
  ['NOT (source IN (web, api))', except('e2', 'e3', 'e5')],
  ['source == null', ['e6']],
  ['source != null', except('e6')],
  ['source EXISTS', except('e6')],
  ['actor > m', ['e5']],
  // text operators: case-sensitive; numbers matched by their text
  ['message ~ "time(d)? ?out"', ['e2']],
  ['message ~ "(?i)time(d)? ?out"', ['e2', 'e4']],
  ['message !~ kick', except('e1')],
  ['message ~ "\\d+%"', ['e6']],
  ['message CONTAINS "Timeout"', ['e4']],
  ['message CONTAINS timeout', []],
  ['message NOT CONTAINS e', ['e1', 'e6', 'e7']],
  ['msg STARTSWITH GET', ['e3']],
  ['message NOT STARTSWITH "c"', except('e5')],
  ['message CONTAINS 4', ['e7']],
  ['message == 42', ['e7']],
  // full text: message, case ignored, regex characters literal
  ['"timeout"', ['e4']],
  ['"TIMED OUT" OR "vac"', ['e1', 'e2']],
  ["'91%' AND severity >= warn", ['e6']],
  ['"/index"', ['e3']],
  ['"(?i)"', []],
  ['NOT "a"', ['e3', 'e6', 'e7']],
  // payload paths, meta alias, numbers vs numeric strings, booleans, null
  ['payload.target == 1337', ['e1']],
  ['payload.target == "1337"', ['e1']],
  ['payload.target > 1000', ['e1']],
  ['payload.status >= 500', ['e2']],
  ['payload.status == "200"', ['e3']],
  ['payload.retries > 2', ['e4']],
  ['meta.db.port == 5432', ['e4']],
  ['payload.db.host STARTSWITH db-', ['e4']],
  ['payload.db EXISTS', ['e4']],
  ['payload.db.port.x EXISTS', []],
  ['payload.user EXISTS', ['e1', 'e2']],
  ['payload.user NOT EXISTS', except('e1', 'e2')],
  ['payload.user == null', except('e1', 'e2')],
  ['payload.user != null', ['e1', 'e2']],
  ['payload.admin == true', ['e6']],
  ['payload.admin == false', ['e3']],
  ['payload.admin != TRUE', except('e6')],
  ['payload.admin == "true"', ['e6']],
  ['payload.status IN (200, "504")', ['e2', 'e3']],
  ['payload.constructor EXISTS', []],
  // arrays: items by index only, never their length or methods
  ['payload.tags.0 == db', ['e3']],
  ['payload.tags.1 EXISTS', ['e3']],
  ['payload.tags.2 EXISTS', []],
  ['payload.tags.01 EXISTS', []],
  ['payload.tags.length EXISTS', []],
  ['payload.tags.length == 2', []],
  ['payload.tags.map EXISTS', []],
  ['payload.__proto__ EXISTS', []],
  ['payload.toString == null', ALL_IDS],
  ['bytes_raw > 200', ['e2', 'e4', 'e6']],
  ['bytes_raw <= 128', ['e1', 'e3']],
  // a number and a text that reads as one compare as numbers, both ways; two texts as text
  ['bytes_raw > "2"', ['e1', 'e2', 'e3', 'e4', 'e6']],
  ['payload.status > "199"', ['e2', 'e3']],
  ['payload.status < "300"', ['e3']],
  ['payload.status == "200.0"', ['e3']],
  ['payload.status IN ("200.0", x)', ['e3']],
  ['bytes_raw < "6"', ['e6']],
  ['bytes_raw >= 512', ['e6']],
  ['bytes_raw EXISTS', except('e5')],
  // times: canonical and offset forms, dates, epoch milliseconds
  ['ts > 2026-05-17T10:00:00Z', ['e2', 'e3', 'e4']],
  ['ts >= 2026-05-17T10:00:00Z AND ts < "2026-05-17T11:00:00Z"', ['e1', 'e2', 'e6']],
  ['ts == 2026-05-17T12:00:00+02:00', ['e1', 'e6']],
  ['ts == "2026-05-17 10:00:00.000z"', ['e1', 'e6']],
  ['ts = 2026-05-17T10:00:00', ['e1', 'e6']],
  ['ts < 2026-05-17', ['e5']],
  ['ts > 1779012000000', ['e2', 'e3', 'e4']],
  ['ts IN (2026-05-17T11:00:00Z, 2026-05-17T14:00:00+02:00)', ['e3', 'e4']],
  ['ts CONTAINS "T12"', ['e4', 'e6']],
  ['ts != 2026-05-17T10:00:00Z', except('e1', 'e6')],
  ['ingested_at EXISTS', ['e1']],
  // boolean structure: precedence NOT > AND > OR, aliases, keyword case
  ['source == fivem OR source == api AND severity == debug', ['e1', 'e5']],
  ['(source == fivem OR source == api) AND severity == debug', ['e5']],
  ['!source == api && severity >= error', ['e1', 'e4']],
  ['NOT NOT source == api', ['e2', 'e5']],
  ['source == web || source == fivem || source == api || actor == system', ['e1', 'e2', 'e3', 'e5']],
  ['source in (api) and Not severity = debug', ['e2']],
  ['((((source == web))))', ['e3']],
  // the B7 filters
  ['severity >= warn AND source IN (api, web) AND message ~ "time(d)? ?out"', ['e2']],
  ['payload.user EXISTS AND NOT source == fivem', ['e2']],
  // GROUP BY does not filter
  ['GROUP BY source', ALL_IDS],
  ['source == api GROUP BY payload.user', ['e2', 'e5']],
];

describe('compiled filters over the fixture events', () => {
  it.each(CASES)('%s', (query, expected) => {
    expect(idsMatching(query)).toEqual(expected);
  });

  it('keeps `a != b` the exact negation of `a == b`, absent fields included', () => {
    for (const [positive, negative] of [
      ['source == api', 'source != api'],
      ['message ~ kick', 'message !~ kick'],
      ['payload.user == null', 'payload.user != null'],
    ] as const) {
      expect(idsMatching(negative)).toEqual(ALL_IDS.filter((id) => !idsMatching(positive).includes(id)));
    }
  });

  it('folds case in full text letter by letter, the Unicode way', () => {
    const matches = (query: string, message: string) => compileQuery(query).matches({ message });
    expect(matches('"STRAẞE"', 'Hauptstraße 1')).toBe(true);
    expect(matches('"straße"', 'HAUPTSTRAẞE 1')).toBe(true);
    expect(matches('"ÉCHEC"', 'échec du paiement')).toBe(true);
    expect(matches('"ΣΟΦΊΑ"', 'η σοφία')).toBe(true);
    expect(matches('"strasse"', 'Straße')).toBe(false);
    expect(matches('"a/b.c"', 'A/B.C')).toBe(true);
    expect(matches('"a/b.c"', 'a/bxc')).toBe(false);
  });

  it('matches regexes in linear time: a backtracking pattern over near-misses is instant', () => {
    // A backtracking engine takes about 7 s for the longest of these, doubling with every `a`.
    const events = Array.from({ length: 8 }, (_, i) => ({ message: `${'a'.repeat(24 + i)}!` }));
    expect(events.filter(compileQuery('message ~ "^(a+)+$"').matches)).toEqual([]);
    expect(events.filter(compileQuery('message ~ "^(a|aa)+$"').matches)).toEqual([]);
    expect(events.filter(compileQuery('message ~ "^(a+)+!$"').matches)).toHaveLength(8);
    expect(events.filter(compileQuery('message ~ "(?i)^(A+)+!$"').matches)).toHaveLength(8);
  });

  it('keeps values out of the generated code: text that looks like code is just text', () => {
    const code = '"); globalThis.injected = 1; ("';
    const event = { source: code, message: `x${code}`, payload: { 'a-b': code } };
    for (const query of [
      `source == '${code}'`,
      `message CONTAINS '${code}' AND payload.a-b == '${code}'`,
      `'${code}' OR source IN ('${code}', "\\u0027")`,
    ]) {
      expect(compileQuery(query).matches(event), query).toBe(true);
    }
    expect('injected' in globalThis).toBe(false);
  });

  it('evaluates long chains without nesting calls', () => {
    const terms = Array.from({ length: 3_000 }, (_, i) => `source == s${i}`);
    expect(idsMatching(`${terms.join(' OR ')} OR source == web`)).toEqual(['e3']);
    expect(idsMatching(`source IN (${terms.map((_, i) => `s${i}`).join(', ')}, api)`)).toEqual(['e2', 'e5']);
  });
});
