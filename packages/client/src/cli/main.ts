#!/usr/bin/env node
/**
 * `pbs-client`: the composition root of the backup client CLI. Reads argv and the environment,
 * wires stdin/stdout/stderr, Ctrl-C (an interrupted backup is dropped by the server) and the pxar
 * plugins, runs one command and maps errors to PBS's "Error: …" with exit code 255.
 */
import { buildProgram } from './program.js';
import { readCliEnv } from './env.js';
import { pxarPlugins } from './pxar-plugins.js';
import type { CliContext } from './context.js';

async function main(): Promise<number> {
  const abort = new AbortController();
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    abort.abort(new Error('interrupted'));
  });
  const ctx: CliContext = {
    env: readCliEnv(process.env),
    stdout: process.stdout,
    stderr: process.stderr,
    terminal: { input: process.stdin, output: process.stderr },
    signal: abort.signal,
    now: () => Math.floor(Date.now() / 1000),
  };
  const program = buildProgram(ctx, pxarPlugins(abort.signal));
  program.exitOverride();
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.exitCode ?? 255;
    process.stderr.write(`Error: ${e.message ?? String(err)}\n`);
    return 255;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // open handles (a server that keeps the connection) must not keep the CLI alive
    setTimeout(() => process.exit(code), 100).unref();
  },
  (err: unknown) => {
    process.stderr.write(`Error: ${String(err)}\n`);
    process.exit(255);
  },
);
