import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { completionCommand } from './completion.js';
import { demoCommand } from './demo.js';
import { ingestCommand } from './ingest.js';
import { loginCommand } from './login.js';
import { logoutCommand } from './logout.js';
import { mockCommand } from './mock.js';
import { profileCommand } from './profile.js';
import { queryCommand } from './query.js';
import { sessionsCommand } from './sessions.js';
import { statsCommand } from './stats.js';
import { tailCommand } from './tail.js';
import { versionCommand } from './version.js';
import { whoamiCommand } from './whoami.js';

export type CommandFactory = (context: CliContext) => Command;

/** Every top-level command, in the order `--help` lists them. */
export const COMMAND_FACTORIES: readonly CommandFactory[] = [
  tailCommand,
  queryCommand,
  ingestCommand,
  sessionsCommand,
  statsCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
  profileCommand,
  completionCommand,
  mockCommand,
  demoCommand,
  versionCommand,
];
