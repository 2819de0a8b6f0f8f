/**
 * A bearer token that cannot leak by accident: every way JavaScript turns a value into text
 * (template strings, `String()`, `JSON.stringify`, `console.log`/`util.inspect`) shows only the
 * redacted form. The secret comes out through `reveal()`, which the HTTP client calls at the last
 * moment to build the `Authorization` header and the profile store calls to write the file.
 */
import { inspect } from 'node:util';
import { AuthConfigError } from '../errors.js';
import { redactSecret, rememberSecret } from './secrets.js';

export class Token {
  // A private field: invisible to Object.keys, spread, structuredClone and inspect's default view.
  readonly #value: string;

  private constructor(value: string) {
    this.#value = value;
  }

  /**
   * Wraps a token as typed or pasted (surrounding whitespace is dropped). Throws AuthConfigError
   * for an empty value or one with inner whitespace or control characters, which no valid token
   * has and which would otherwise fail later as an obscure header error.
   */
  static from(value: string): Token {
    const trimmed = value.trim();
    if (trimmed === '') throw new AuthConfigError('the token is empty');
    if (/[\s\u0000-\u001f\u007f]/.test(trimmed)) {
      throw new AuthConfigError('the token contains spaces or control characters', {
        hint: 'paste the token alone, on one line',
      });
    }
    if (/[^\u0021-\u007e]/.test(trimmed)) {
      throw new AuthConfigError('the token contains characters that cannot be sent in an HTTP header');
    }
    // From now on no text this process shows can carry it (model/secrets.ts).
    rememberSecret(trimmed);
    return new Token(trimmed);
  }

  /** The secret itself: only for the Authorization header and the config file. */
  reveal(): string {
    return this.#value;
  }

  /** `so_live_…abcd`: the kind of token and its last characters, enough to tell tokens apart. */
  redacted(): string {
    return redactSecret(this.#value);
  }

  /** Two tokens are the same secret (compared without exposing either). */
  equals(other: Token): boolean {
    return this.#value === other.#value;
  }

  toString(): string {
    return this.redacted();
  }

  toJSON(): string {
    return this.redacted();
  }

  [Symbol.toPrimitive](): string {
    return this.redacted();
  }

  [inspect.custom](): string {
    return `Token(${this.redacted()})`;
  }
}
