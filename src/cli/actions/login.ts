/**
 * Runs `sotail login` and `sotail logout`: the profile and URL come from the same precedence as
 * every other command (config/resolve.ts), the core work from config/login.ts, and what is said
 * goes through the runtime's stderr voice (terminal-safe, silenced by `-q`).
 */
import { explicitApiUrl, explicitProfile, insecureFromEnv } from '../../config/resolve.js';
import { UsageError } from '../../errors.js';
import type { Token } from '../../model/token.js';
import { abortReasonOr, withTimeout } from '../../util/abort.js';
import type { CliContext } from '../context.js';
import type { Runtime } from '../runtime.js';

/** What `sotail login` hands to its action. */
export interface LoginInput {
  /** `--token-stdin`: the token is piped in (on a terminal, the hidden prompt is used instead). */
  tokenStdin: boolean;
}

const NO_TOKEN_HINT = 'pipe it in: `printenv SOTAIL_NEW_TOKEN | sotail login --token-stdin`';

/**
 * Reads the token (hidden on a terminal, else from the pipe), checks it with the service and stores
 * it in the profile the flags and environment name; says who is logged in on stderr.
 */
export async function executeLogin(context: CliContext, runtime: Runtime, input: LoginInput): Promise<void> {
  const [{ openProfileStore, createApiClient }, { login, formatLoginSummary }, secretInput, { Token }] =
    await Promise.all([
      import('../connect.js'),
      import('../../config/login.js'),
      import('../../config/secret-input.js'),
      import('../../model/token.js'),
    ]);
  const { globals } = runtime;
  // On a terminal the token is always read hidden, --token-stdin or not: reading a terminal in
  // its normal mode would echo the token for anyone looking at the screen.
  const onTerminal = context.stdin.isTTY === true;
  if (onTerminal && !secretInput.canPromptHidden(context.stdin)) {
    throw new UsageError('stdin is a terminal that cannot hide what is typed: the token would show', {
      hint: NO_TOKEN_HINT,
    });
  }
  if (!onTerminal && !input.tokenStdin) {
    throw new UsageError('stdin is not a terminal, so there is no hidden prompt: pass --token-stdin', {
      hint: 'printenv LOGS_TOKEN | sotail login --token-stdin --api-url URL',
    });
  }
  const readToken = async (): Promise<Token> => {
    const text = onTerminal
      ? await secretInput.readHiddenLine(
          context.stdin,
          context.stderr,
          'Token (input hidden): ',
          context.signal,
        )
      : await secretInput.readSecretFromStream(context.stdin, context.signal);
    // An empty answer is the same mistake however it was given: a usage error, exit 2.
    if (text.trim() === '') throw new UsageError('no token entered', { hint: NO_TOKEN_HINT });
    return Token.from(text);
  };

  const store = await openProfileStore(context, runtime.warn);
  const profile = explicitProfile(globals, context.env);
  const apiUrl = explicitApiUrl(globals, context.env);
  const result = await login(
    {
      profile: profile?.value,
      profileExplicit: profile !== undefined,
      apiUrl: apiUrl?.value,
      apiUrlVia: apiUrl?.via,
      insecure: globals.insecure === true || insecureFromEnv(context.env),
    },
    {
      store,
      readToken,
      // --timeout counts from here: the time spent typing the token is the user's own.
      checkToken: async (baseUrl, token, transport) => {
        const signal = withTimeout(context.signal, runtime.timeoutMs);
        const client = await createApiClient(context, globals, {
          baseUrl,
          token,
          insecure: transport.insecure,
          signal,
          urlSource: apiUrl?.via ?? '--api-url',
        });
        try {
          return await client.whoami(signal);
        } catch (error) {
          throw abortReasonOr(signal, error);
        } finally {
          await client.close();
        }
      },
    },
  );
  runtime.info(formatLoginSummary(result, context.env));
}

/** Removes the token of the named (or active) profile, keeping its URL; says so on stderr. */
export async function executeLogout(context: CliContext, runtime: Runtime): Promise<void> {
  const [{ openProfileStore }, { logout }] = await Promise.all([
    import('../connect.js'),
    import('../../config/login.js'),
  ]);
  const store = await openProfileStore(context, runtime.warn);
  const result = logout(store, explicitProfile(runtime.globals, context.env)?.value);
  runtime.info(
    result.removedToken
      ? `Logged out of profile "${result.profileName}" (${result.apiUrl}): token removed from ${store.path}`
      : `Profile "${result.profileName}" had no token: nothing to remove`,
  );
  if (context.env.SOTAIL_TOKEN) {
    runtime.info('Note: SOTAIL_TOKEN is still set in this environment and is used instead');
  }
}
