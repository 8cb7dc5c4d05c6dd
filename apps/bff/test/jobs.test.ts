import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createServices, type Services } from '../src/services/services.js';
import { testConfig } from './harness.js';
import { tempDir } from './fixtures.js';

describe('scheduled jobs', () => {
  let dataDir: string;
  let services: Services;
  let now = Date.UTC(2026, 0, 10, 12, 0, 0);

  beforeAll(async () => {
    dataDir = await tempDir();
    const config = testConfig({ dataDir, adminPassword: 'whatever-password' });
    services = await createServices({ config, logger: createLogger('silent'), clock: { now: () => now } });
  });
  afterAll(async () => {
    await services.tasks.shutdown();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('runs the daily task-log rotation as a worker task once it is due, and only then', async () => {
    expect(await services.scheduler.tick()).toEqual([]); // first sight: the job state is created now
    now += 3600_000;
    expect(await services.scheduler.tick()).toEqual([]); // not yet midnight
    now += 24 * 3600_000;
    const started = await services.scheduler.tick();
    expect(started).toHaveLength(1);
    const upid = started[0] ?? '';
    expect(upid).toContain(':logrotate::root@pam:');
    for await (const event of services.tasks.follow(upid, 0)) {
      if (event.kind === 'end') expect(event.status.state).toBe('ok');
    }
    const log = await services.tasks.readLog(upid);
    expect(log.lines.map((l) => l.t).join('\n')).toMatch(/nothing to remove|removed \d+/);
    expect(await services.scheduler.tick()).toEqual([]); // ran today already
  });
});
