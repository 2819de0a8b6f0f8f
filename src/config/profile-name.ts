/**
 * What a profile may be called. Kept apart from the profile store so that checking a name does not
 * load conf (and the signal handlers its dependencies install: src/cli/interrupts.ts).
 */
import { UsageError } from '../errors.js';
import { closestName } from '../util/suggest.js';

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws UsageError unless `name` can be a profile name (letters, digits, `.`, `_`, `-`). */
export function assertProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`invalid profile name ${JSON.stringify(name)}`, {
      hint: 'use letters, digits, ".", "_" or "-" (at most 64 characters)',
    });
  }
}

/**
 * The next step after a profile name that matches none: the near miss when there is one
 * (`--profile stagin`: did you mean "staging"?), and where they are all listed.
 */
export function unknownProfileHint(name: string, names: readonly string[]): string {
  const near = closestName(name, names);
  if (near !== undefined) return `did you mean "${near}"? (\`sotail profile list\` shows them all)`;
  const create = `\`sotail login --profile ${name} --api-url URL\` makes it`;
  if (names.length === 0) return `there are no profiles yet: ${create}`;
  const shown = `${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
  return `the profiles are ${shown} (\`sotail profile list\`), or ${create}`;
}
