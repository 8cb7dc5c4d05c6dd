/**
 * Runs the backup client CLI (packages/client/src/cli/main.ts) as a child process against a test
 * server, with its own HOME and XDG directories so no user cache or default key leaks in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = path.join(ROOT, 'packages/client/src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  home: string;
  fingerprint: string;
  env: Record<string, string>;
  run(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  spawn(args: string[], env?: Record<string, string | undefined>): ChildProcess;
  json<T>(args: string[], env?: Record<string, string | undefined>): Promise<T>;
}

export function certFingerprint(server: TestServer): string {
  return new X509Certificate(server.services.certificate.cert).fingerprint256.toLowerCase();
}

export async function cliRunner(
  server: TestServer,
  opts: { home: string; repository: string; password: string },
) {
  await fs.mkdir(path.join(opts.home, 'run'), { recursive: true });
  const fingerprint = certFingerprint(server);
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: opts.home,
    XDG_RUNTIME_DIR: path.join(opts.home, 'run'),
    XDG_CONFIG_HOME: path.join(opts.home, 'config'),
    PBS_REPOSITORY: opts.repository,
    PBS_PASSWORD: opts.password,
    PBS_FINGERPRINT: fingerprint,
  };
  const spawnCli = (args: string[], env: Record<string, string | undefined> = {}) => {
    const merged = Object.fromEntries(
      Object.entries({ ...base, ...env }).filter((e): e is [string, string] => e[1] !== undefined),
    );
    return spawn(process.execPath, ['--conditions=@pbs/source', '--import', 'tsx', MAIN, ...args], {
      cwd: ROOT,
      env: merged,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  };
  const run = (args: string[], env?: Record<string, string | undefined>): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawnCli(args, env);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const runner: CliRunner = {
    home: opts.home,
    fingerprint,
    env: base,
    run,
    spawn: spawnCli,
    async json<T>(args: string[], env?: Record<string, string | undefined>): Promise<T> {
      const r = await run([...args, '--output-format', 'json'], env);
      if (r.code !== 0) throw new Error(`pbs-client ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
  };
  return runner;
}
