import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/errors.js';
import { Token } from '../../src/model/token.js';

const SECRET = 'so_live_9f8e7d6c5b4a3210abcd';

describe('Token', () => {
  it.each([
    ['so_live_9f8e7d6c5b4a3210abcd', 'so_live_…abcd'],
    ['so_test_sotail_dev', 'so_test_…_dev'],
    ['so_test_short', 'so_test_…'],
    ['plain-secret-without-prefix', '…efix'],
    ['abc', '…'],
  ])('redacts %s as %s', (value, redacted) => {
    expect(Token.from(value).redacted()).toBe(redacted);
  });

  it('never shows the secret through String, templates, JSON or inspect', () => {
    const token = Token.from(SECRET);
    const holder = { token, nested: [token] };
    const renderings = [
      String(token),
      `${token}`,
      `${'' + token}`,
      JSON.stringify(holder),
      inspect(holder, { depth: 5, showHidden: true }),
      inspect(token),
      Object.keys(token).join(),
      JSON.stringify(structuredClone({ ...token })),
    ];
    for (const text of renderings) expect(text).not.toContain('9f8e7d6c5b4a3210');
    expect(JSON.stringify(holder)).toBe('{"token":"so_live_…abcd","nested":["so_live_…abcd"]}');
    expect(inspect(token)).toBe('Token(so_live_…abcd)');
  });

  it('reveals the secret on request, trimmed', () => {
    expect(Token.from(`  ${SECRET}\n`).reveal()).toBe(SECRET);
    expect(Token.from(SECRET).equals(Token.from(SECRET))).toBe(true);
  });

  it.each(['', '   \n', 'so_live_a b', 'so_live_a\tb', 'so_live_é'])('rejects %j', (value) => {
    expect(() => Token.from(value)).toThrow(AuthConfigError);
  });
});
