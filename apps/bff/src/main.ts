#!/usr/bin/env node
/** Server entry: read config, build services, listen. Nothing else. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { loadServerConfig } from './config.js';
import { createLogger } from './logger.js';
import { listen } from './server.js';
import { startBackgroundWork } from './services/background.js';
import { createServices } from './services/services.js';
import { defaultBugTrackerUrl, findRepoRoot } from './services/repo.js';

async function main(): Promise<void> {
  const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
  const config = loadServerConfig(process.argv.slice(2), process.env, {
    bugTrackerUrl: defaultBugTrackerUrl(repoRoot),
    webRoot: repoRoot === null ? null : path.join(repoRoot, 'apps', 'web', 'dist'),
  });
  const logger = createLogger(config.logLevel);
  const services = await createServices({ config, logger });
  if (services.bootstrap.created) {
    // Printed once, to the console only: the generated password is not kept anywhere in clear text.
    const shown = services.bootstrap.password ?? 'the one from PBS_ADMIN_PASSWORD';
    process.stdout.write(`\ncreated user admin@pbs with password: ${shown}\n`);
  }
  const running = await listen(services, createApp(services));
  const background = await startBackgroundWork(services);
  logger.info({ dataDir: config.dataDir }, `listening on ${running.url}`);
  process.stdout.write(
    `\n${services.info.product} ${services.info.version} listening on ${running.url}\n` +
      (config.http ? '' : `certificate fingerprint: ${services.certificate.fingerprint}\n`) +
      `data directory: ${config.dataDir}\n\n`,
  );
  const stop = (signal: string) => {
    logger.info({ signal }, 'signal received');
    background.stop();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`pbs-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
