/**
 * Named profiles (API URL, token, identity) in one conf-backed JSON file. The file holds secrets,
 * so its directory is kept 0700 and the file 0600 (a wider mode found on disk is narrowed, with a
 * warning); a file that is not valid JSON is reported by name and never rewritten, since wiping
 * it would lose every token in it. Importing this module loads conf (and ajv): only commands that
 * need a profile do, lazily.
 *
 * The file: `{"activeProfile": "default", "profiles": {"default": {"apiUrl": "…", "token": "…",
 * "tenantId": "…", …}}}`. Keys it does not know are kept as they are.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { FileError, UsageError } from '../errors.js';
import { Token } from '../model/token.js';
import { assertProfileName, unknownProfileHint } from './profile-name.js';

/** One profile as the rest of sotail sees it. */
export interface Profile {
  apiUrl: string;
  /** Absent after `sotail logout`: the profile keeps its URL so `sotail login` can reuse it. */
  token?: Token;
  tenantId?: string;
  userUuid?: string;
  orgId?: string;
  mode?: string;
  tier?: string;
  scopes?: string[];
  /** Set by `sotail login --insecure`: this profile's plain http:// URL may carry its token. */
  insecure?: boolean;
}

/** A profile with its name, as `list()` returns it. */
export interface NamedProfile extends Profile {
  name: string;
}

interface StoredProfile {
  apiUrl?: unknown;
  token?: unknown;
  [key: string]: unknown;
}

interface StoredConfig {
  activeProfile?: string;
  profiles?: Record<string, StoredProfile>;
  [key: string]: unknown;
}

const CONFIG_FILE_MODE = 0o600;
const CONFIG_DIR_MODE = 0o700;
const OPTIONAL_STRING_FIELDS = ['tenantId', 'userUuid', 'orgId', 'mode', 'tier'] as const;

/**
 * The config directory: SOTAIL_CONFIG_DIR, else $XDG_CONFIG_HOME/sotail, else ~/.config/sotail.
 */
export function resolveConfigDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.SOTAIL_CONFIG_DIR) return env.SOTAIL_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'sotail');
  return join(env.HOME || homedir(), '.config', 'sotail');
}

export class ProfileStore {
  readonly #conf: Conf<StoredConfig>;
  /** The config file's path. */
  readonly path: string;

  private constructor(conf: Conf<StoredConfig>) {
    this.#conf = conf;
    this.path = conf.path;
  }

  /**
   * Opens (without creating) the config file in `configDir`, creating the directory 0700.
   * Throws FileError naming the file when it cannot be read or is not valid JSON; the file is
   * left untouched. `onWarning` hears about permissions that were too wide and have been fixed.
   */
  static open(options: { configDir: string; onWarning?: (message: string) => void }): ProfileStore {
    const { configDir } = options;
    const path = join(configDir, 'config.json');
    secureModes(configDir, path, options.onWarning);
    let conf: Conf<StoredConfig>;
    try {
      conf = new Conf<StoredConfig>({
        cwd: configDir,
        configName: 'config',
        projectName: 'sotail',
        configFileMode: CONFIG_FILE_MODE,
        accessPropertiesByDotNotation: false,
        clearInvalidConfig: false,
      });
    } catch (error) {
      throw fileError(error, path);
    }
    const store = new ProfileStore(conf);
    store.#read(); // validate the shape now, so a broken file fails at open and not halfway
    return store;
  }

  /**
   * Every profile, sorted by name. Entries without an `apiUrl` are skipped; a profile with a
   * field of the wrong type throws FileError naming the file, the profile and the field.
   */
  list(): NamedProfile[] {
    const profiles = this.#read().profiles ?? {};
    return Object.keys(profiles)
      .sort()
      .flatMap((name) => {
        const profile = this.#toProfile(name, profiles[name]);
        return profile ? [{ name, ...profile }] : [];
      });
  }

  /** The profile, or undefined when there is none; FileError when it is damaged. */
  get(name: string): Profile | undefined {
    const profiles = this.#read().profiles ?? {};
    return Object.hasOwn(profiles, name) ? this.#toProfile(name, profiles[name]) : undefined;
  }

  /**
   * Creates or replaces a profile; keys of the old entry that sotail does not know are kept. A
   * damaged entry is not replaced (FileError): it may hold the only copy of a token.
   */
  set(name: string, profile: Profile): void {
    assertProfileName(name);
    const config = this.#read();
    if (config.profiles && Object.hasOwn(config.profiles, name)) this.#toProfile(name, config.profiles[name]);
    const previous = config.profiles?.[name] ?? {};
    const known = new Set<string>(['apiUrl', 'token', 'scopes', 'insecure', ...OPTIONAL_STRING_FIELDS]);
    const kept = Object.fromEntries(Object.entries(previous).filter(([key]) => !known.has(key)));
    const next: StoredProfile = { ...kept, apiUrl: profile.apiUrl };
    if (profile.token) next.token = profile.token.reveal();
    for (const field of OPTIONAL_STRING_FIELDS)
      if (profile[field] !== undefined) next[field] = profile[field];
    if (profile.scopes !== undefined) next.scopes = [...profile.scopes];
    if (profile.insecure) next.insecure = true;
    this.#write({ ...config, profiles: { ...config.profiles, [name]: next } });
  }

  /** Deletes a profile (and clears the active mark if it was active); false when there was none. */
  remove(name: string): boolean {
    const config = this.#read();
    if (!config.profiles || !Object.hasOwn(config.profiles, name)) return false;
    const { [name]: _removed, ...rest } = config.profiles;
    const next: StoredConfig = { ...config, profiles: rest };
    if (next.activeProfile === name) delete next.activeProfile;
    this.#write(next);
    return true;
  }

  /** The active profile's name, if one is set. */
  activeName(): string | undefined {
    const active = this.#read().activeProfile;
    if (active !== undefined && typeof active !== 'string') {
      throw this.#damaged(`"activeProfile" is ${describeType(active)}, not a string`);
    }
    return active !== undefined && active !== '' ? active : undefined;
  }

  /** Makes `name` the active profile; throws UsageError when no such profile exists. */
  use(name: string): void {
    const config = this.#read();
    if (!config.profiles || !Object.hasOwn(config.profiles, name)) {
      throw new UsageError(`no profile named ${JSON.stringify(name)} in ${this.path}`, {
        hint: unknownProfileHint(name, Object.keys(config.profiles ?? {})),
      });
    }
    this.#write({ ...config, activeProfile: name });
  }

  #read(): StoredConfig {
    let data: unknown;
    try {
      data = this.#conf.store;
    } catch (error) {
      throw fileError(error, this.path);
    }
    const profiles = (data as StoredConfig).profiles;
    if (
      profiles !== undefined &&
      (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles))
    ) {
      throw new FileError(`the config file ${this.path} is damaged: "profiles" is not an object`, {
        hint: 'fix it by hand or move it away; it was left untouched',
      });
    }
    return data as StoredConfig;
  }

  /** A stored entry as a Profile: undefined without a URL, FileError when a field has the wrong type. */
  #toProfile(name: string, stored: unknown): Profile | undefined {
    const problem = profileDamage(stored);
    if (problem !== undefined) throw this.#damaged(`profile "${name}": ${problem}`);
    return toProfile(stored as StoredProfile);
  }

  #damaged(what: string): FileError {
    return new FileError(`the config file ${this.path} is damaged: ${what}`, {
      hint: 'fix it by hand (or `sotail profile remove NAME`); it was left untouched so no token is lost',
    });
  }

  #write(config: StoredConfig): void {
    try {
      this.#conf.store = config;
    } catch (error) {
      throw new FileError(`cannot write the config file ${this.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

/**
 * What is wrong with a stored profile, if anything: sotail writes every known field with one type,
 * so another type means the file was edited or damaged. Reporting it beats treating the profile as
 * logged out, which would invite `sotail login` to overwrite a token the user may still need.
 */
function profileDamage(stored: unknown): string | undefined {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    return `it is ${describeType(stored)}, not an object`;
  }
  const entry = stored as StoredProfile;
  for (const field of ['apiUrl', 'token', ...OPTIONAL_STRING_FIELDS] as const) {
    const value = entry[field];
    if (value !== undefined && typeof value !== 'string') {
      return `field "${field}" is ${describeType(value)}, not a string`;
    }
  }
  if (typeof entry.token === 'string' && entry.token.trim() !== '') {
    try {
      Token.from(entry.token);
    } catch (error) {
      return `field "token" is not a usable token (${(error as Error).message})`;
    }
  }
  if (entry.insecure !== undefined && typeof entry.insecure !== 'boolean') {
    return `field "insecure" is ${describeType(entry.insecure)}, not true or false`;
  }
  const { scopes } = entry;
  if (
    scopes !== undefined &&
    !(Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string'))
  ) {
    return 'field "scopes" is not a list of strings';
  }
  return undefined;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A stored profile already checked by profileDamage; undefined when it has no URL. */
function toProfile(stored: StoredProfile): Profile | undefined {
  if (typeof stored.apiUrl !== 'string') return undefined;
  const profile: Profile = { apiUrl: stored.apiUrl };
  if (typeof stored.token === 'string' && stored.token.trim() !== '')
    profile.token = Token.from(stored.token);
  for (const field of OPTIONAL_STRING_FIELDS) {
    const value = stored[field];
    if (typeof value === 'string') profile[field] = value;
  }
  if (Array.isArray(stored.scopes)) profile.scopes = stored.scopes as string[];
  if (stored.insecure === true) profile.insecure = true;
  return profile;
}

/** Creates the directory 0700 and narrows a directory or file that others can read. */
function secureModes(
  configDir: string,
  path: string,
  onWarning: ((message: string) => void) | undefined,
): void {
  try {
    mkdirSync(configDir, { recursive: true, mode: CONFIG_DIR_MODE });
  } catch (error) {
    throw new FileError(`cannot create the config directory ${configDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  assertRegularFile(path);
  // Windows has no POSIX modes to fix; its ACLs already keep the profile directory private.
  if (platform() === 'win32') return;
  narrowMode(configDir, CONFIG_DIR_MODE, 'directory', onWarning);
  narrowMode(path, CONFIG_FILE_MODE, 'file', onWarning);
}

/** A config "file" that is a directory (or a device) is reported as it is, and never chmod-ed. */
function assertRegularFile(path: string): void {
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(path);
  } catch {
    return; // not there yet: conf creates it
  }
  if (info.isFile()) return;
  const what = info.isDirectory() ? 'a directory' : 'not a regular file';
  throw new FileError(`the config file ${path} is ${what}`, {
    hint: 'move it away; sotail keeps its profiles in that file and left it untouched',
  });
}

function narrowMode(
  path: string,
  wanted: number,
  kind: 'file' | 'directory',
  onWarning: ((message: string) => void) | undefined,
): void {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return; // not there yet: conf creates the file with the right mode
  }
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(path, wanted);
    onWarning?.(
      `the config ${kind} ${path} was readable by others (mode ${octal(mode)}); changed it to ${octal(wanted)} since it holds tokens`,
    );
  } catch (error) {
    onWarning?.(
      `the config ${kind} ${path} is readable by others (mode ${octal(mode)}) and could not be changed: ${(error as Error).message}`,
    );
  }
}

function fileError(error: unknown, path: string): FileError {
  if (error instanceof FileError) return error;
  if (error instanceof SyntaxError) {
    return new FileError(`the config file ${path} is not valid JSON (${error.message})`, {
      hint: 'fix it by hand or move it away; it was left untouched so no token is lost',
      cause: error,
    });
  }
  return new FileError(`cannot read the config file ${path}: ${(error as Error).message}`, { cause: error });
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
