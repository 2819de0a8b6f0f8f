/**
 * What a profile may be called. Kept apart from the profile store so that checking a name does not
 * load conf (and the signal handlers its dependencies install: src/cli/interrupts.ts).
 */
import { UsageError } from '../errors.js';

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws UsageError unless `name` can be a profile name (letters, digits, `.`, `_`, `-`). */
export function assertProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`invalid profile name ${JSON.stringify(name)}`, {
      hint: 'use letters, digits, ".", "_" or "-" (at most 64 characters)',
    });
  }
}
