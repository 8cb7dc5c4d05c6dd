/**
 * Test harness (exported as '@pbs/bff/testing'): a real server on a free loopback port over a
 * given data dir, built exactly as main.ts builds it, plus small HTTP helpers.
 */
import { createApp } from '../src/app.js';
import type { ServerConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { listen, type RunningServer } from '../src/server.js';
import { createServices, type Services } from '../src/services/services.js';
import type { Clock } from '@pbs/tasks';

export interface TestServerOptions {
  dataDir: string;
  adminPassword?: string;
  /** plain HTTP (default false: HTTPS with the generated certificate) */
  http?: boolean;
  webRoot?: string | null;
  /** a different value simulates a restarted process (the pid stays the same in tests) */
  pstart?: number;
  /** the server's clock (tasks, job states, schedules, datastores); default: the system clock */
  clock?: Clock;
}

export interface TestServer {
  url: string;
  port: number;
  services: Services;
  /** graceful shutdown, as on SIGTERM */
  close(): Promise<void>;
  /** stops listening but leaves tasks running and unrecorded, as if the process had died */
  crash(): Promise<void>;
}

export function testConfig(opts: TestServerOptions): ServerConfig {
  return {
    port: 0,
    listen: '127.0.0.1',
    http: opts.http ?? false,
    dataDir: opts.dataDir,
    adminPassword: opts.adminPassword,
    bugTrackerUrl: 'https://bugs.example.invalid/',
    defaultDatastore: 'none',
    webRoot: opts.webRoot ?? null,
    logLevel: process.env.PBS_TEST_LOG_LEVEL ?? 'silent',
  };
}

export async function startTestServer(opts: TestServerOptions): Promise<TestServer> {
  const config = testConfig(opts);
  const services = await createServices({
    config,
    logger: createLogger(config.logLevel),
    pstart: opts.pstart,
    clock: opts.clock,
  });
  const running: RunningServer = await listen(services, createApp(services));
  return {
    url: `${config.http ? 'http' : 'https'}://127.0.0.1:${running.port}`,
    port: running.port,
    services,
    close: () => running.close(),
    crash: async () => {
      services.scheduler.stop();
      running.server.closeAllConnections();
      await new Promise<void>((resolve) => running.server.close(() => resolve()));
    },
  };
}
