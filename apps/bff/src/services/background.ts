/**
 * Work the server does on its own once it listens: the job scheduler, datastore usage samples
 * for the history charts, and the default datastore on a first start.
 */
import { ensureDefaultDatastore } from './datastore/default-datastore.js';
import type { Services } from './services.js';

const USAGE_SAMPLE_MS = 5 * 60_000;

async function sampleUsage(services: Services): Promise<void> {
  for (const config of await services.datastores.list()) {
    try {
      const { port } = await services.datastores.port(config.name, 'lookup');
      const { total, used } = await port.status();
      await services.usageHistory.record(config.name, { total, used });
    } catch (err) {
      services.logger.debug({ err, store: config.name }, 'usage sample skipped');
    }
  }
}

export interface BackgroundWork {
  stop(): void;
}

export async function startBackgroundWork(services: Services): Promise<BackgroundWork> {
  services.scheduler.start();
  const upid = await ensureDefaultDatastore(services);
  if (upid !== null) services.logger.info({ upid }, "creating the default datastore 'local'");
  void sampleUsage(services);
  const timer = setInterval(() => void sampleUsage(services), USAGE_SAMPLE_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      services.scheduler.stop();
    },
  };
}
