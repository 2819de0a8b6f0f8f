import { createRequire } from 'node:module';

declare const __SOTAIL_VERSION__: string | undefined;

/** The package version: inlined by the bundler, read from package.json when run from source (tests). */
export const VERSION: string =
  typeof __SOTAIL_VERSION__ === 'string'
    ? __SOTAIL_VERSION__
    : (createRequire(import.meta.url)('../package.json') as { version: string }).version;
