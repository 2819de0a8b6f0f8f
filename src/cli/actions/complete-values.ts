/** The values behind `sotail __complete KIND`: read from this machine, never from the network. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamicKind } from '../completion/spec.js';
import { openProfileStore } from '../connect.js';
import type { CliContext } from '../context.js';

export async function completionValues(context: CliContext, kind: DynamicKind): Promise<string[]> {
  switch (kind) {
    case 'profiles': {
      const { resolveConfigDir } = await import('../../config/profiles.js');
      // A TAB press must not create the config directory as a side effect.
      if (!existsSync(join(resolveConfigDir(context.env), 'config.json'))) return [];
      const store = await openProfileStore(context, () => {});
      return store.list().map((profile) => profile.name);
    }
  }
}
