/**
 * Server settings from command-line flags and the environment; the only place that reads
 * process.env for the server (the manager CLI has its own).
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

export interface ServerConfig {
  port: number;
  listen: string;
  /** plain HTTP for running behind a TLS-terminating reverse proxy */
  http: boolean;
  dataDir: string;
  adminPassword: string | undefined;
  bugTrackerUrl: string | null;
  /** 'local' creates the default datastore on first start; 'none' skips it (tests) */
  defaultDatastore: 'local' | 'none';
  /** built SPA to serve, or null when absent */
  webRoot: string | null;
  logLevel: string;
}

export interface Environment {
  [key: string]: string | undefined;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`'${value}' is not a TCP port (0-65535)`);
  }
  return port;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function loadServerConfig(
  argv: string[],
  env: Environment,
  defaults: { bugTrackerUrl: string | null; webRoot: string | null },
): ServerConfig {
  const program = new Command('pbs-server')
    .description('Backup server: web UI, REST API and backup protocols in one process')
    .option('--port <port>', 'TCP port (env PBS_PORT)', parsePort)
    .option('--listen <address>', 'address to listen on (env PBS_LISTEN)')
    .option('--http', 'serve plain HTTP instead of HTTPS (env PBS_HTTP=1)')
    .option('--data-dir <dir>', 'data directory (env PBS_DATA_DIR)')
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const opts = program.opts<{ port?: number; listen?: string; http?: boolean; dataDir?: string }>();

  const defaultDatastore = env.PBS_DEFAULT_DATASTORE ?? 'local';
  if (defaultDatastore !== 'local' && defaultDatastore !== 'none') {
    throw new InvalidArgumentError(
      `PBS_DEFAULT_DATASTORE must be 'local' or 'none', not '${defaultDatastore}'`,
    );
  }
  const bugTracker = env.PBS_BUGTRACKER_URL ?? defaults.bugTrackerUrl;
  return {
    port: opts.port ?? (env.PBS_PORT !== undefined ? parsePort(env.PBS_PORT) : 8007),
    listen: opts.listen ?? env.PBS_LISTEN ?? '::',
    http: opts.http === true || isTrue(env.PBS_HTTP),
    dataDir: path.resolve(opts.dataDir ?? env.PBS_DATA_DIR ?? 'data'),
    adminPassword: env.PBS_ADMIN_PASSWORD || undefined,
    bugTrackerUrl: bugTracker === '' || bugTracker === 'none' ? null : (bugTracker ?? null),
    defaultDatastore,
    webRoot: env.PBS_WEB_ROOT ?? defaults.webRoot,
    logLevel: env.PBS_LOG_LEVEL ?? 'info',
  };
}
