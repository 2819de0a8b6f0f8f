/**
 * Real terminals for the live-view benchmarks (B3, B9): detached tmux sessions on a tmux server
 * of the benchmark's own, and a control-mode client that sees every byte a pane's program writes
 * as tmux reads it (`%output` lines), with the time it arrived: ~1 ms resolution, where polling
 * `capture-pane` has that of its polling interval.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export function hasTmux(): boolean {
  return spawnSync('sh', ['-c', 'command -v tmux']).status === 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BenchPane {
  readonly session: string;
  /** The pane's screen as text. */
  screen(): string;
  /** Polls the screen until `pattern` shows (at most `timeoutMs`). */
  waitForScreen(pattern: RegExp, timeoutMs?: number): Promise<void>;
  keys(...keys: string[]): void;
  /** The pid of the command, when it wrote it to `pidFile` (`echo $$ > file; exec …`). */
  pid(pidFile: string): Promise<number>;
}

/** One tmux server (`-L name`) holding the benchmark's sessions. */
export class BenchTmux {
  readonly server = `sotail-bench-${process.pid}`;
  private readonly clients: ControlClient[] = [];

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.server, ...args], { encoding: 'utf8' });
  }

  /** Starts `command` (a shell line) in a new session `cols`×`rows`; the pane stays after it ends. */
  open(name: string, command: string, cols = 160, rows = 45): BenchPane {
    const session = `${name}-${process.pid}`;
    this.tmux([
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      String(cols),
      '-y',
      String(rows),
      `unset CI CONTINUOUS_INTEGRATION; ${command}; sleep 600`,
    ]);
    const screen = (): string => this.tmux(['capture-pane', '-p', '-t', session]);
    return {
      session,
      screen,
      waitForScreen: async (pattern, timeoutMs = 30_000) => {
        const deadline = Date.now() + timeoutMs;
        while (!pattern.test(screen())) {
          if (Date.now() > deadline) throw new Error(`${session}: ${pattern} not shown:\n${screen()}`);
          await sleep(50);
        }
      },
      keys: (...keys) => {
        this.tmux(['send-keys', '-t', session, ...keys]);
      },
      pid: async (pidFile) => {
        while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await sleep(20);
        return Number(readFileSync(pidFile, 'utf8'));
      },
    };
  }

  /** A control-mode client attached to `session`. */
  async control(session: string): Promise<ControlClient> {
    const client = new ControlClient(
      spawn('tmux', ['-L', this.server, '-C', 'attach', '-t', session], { stdio: 'pipe' }),
    );
    this.clients.push(client);
    await client.ready();
    return client;
  }

  close(): void {
    for (const client of this.clients) client.close();
    spawnSync('tmux', ['-L', this.server, 'kill-server']);
  }
}

/**
 * A tmux control-mode client. `press` sends keys through it and resolves with the milliseconds
 * until the pane's output, as tmux received it since the keys were sent, matches a pattern.
 */
export class ControlClient {
  private buffered = '';
  /** Text the panes wrote since the last press, escape sequences removed. */
  private seen = '';
  private waiter: { pattern: RegExp; resolve: () => void } | undefined;
  private attached: Promise<void>;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    let onAttached: () => void = () => {};
    this.attached = new Promise((resolve) => (onAttached = resolve));
    child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      let newline = this.buffered.indexOf('\n');
      while (newline !== -1) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        if (line.startsWith('%session-changed')) onAttached();
        else if (line.startsWith('%output ')) this.output(line);
        newline = this.buffered.indexOf('\n');
      }
    });
    child.stdin.on('error', () => {});
  }

  ready(): Promise<void> {
    return this.attached;
  }

  private output(line: string): void {
    // `%output %PANE text`, the text with bytes below 32 and `\` written as octal escapes.
    const text = line
      .slice(line.indexOf(' ', 8) + 1)
      .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
    this.seen += text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\x1b[()][A-Z0-9]/g, '');
    // Bounded: only the newest output can hold what a waiter looks for.
    if (this.seen.length > 65_536) this.seen = this.seen.slice(-16_384);
    if (this.waiter?.pattern.test(this.seen)) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve();
    }
  }

  /** Sends `keys` to `target` and measures the time until the output matches `pattern`. */
  press(target: string, keys: string, pattern: RegExp, timeoutMs = 10_000): Promise<number> {
    this.seen = '';
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no ${pattern} within ${timeoutMs} ms of ${keys}`));
      }, timeoutMs);
      this.waiter = {
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve(performance.now() - started);
        },
      };
      this.child.stdin.write(`send-keys -t ${target} ${keys}\n`);
    });
  }

  close(): void {
    this.child.kill();
  }
}

/** The value below which `fraction` of the values lie (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

/** What the lead needs to compare a figure from another run: load, cores, node, tmux. */
export function machineNote(): string {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cores = execFileSync('nproc', { encoding: 'utf8' }).trim();
  const tmux = execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  return `load average ${load}, ${cores} cores, node ${process.version}, ${tmux}`;
}
