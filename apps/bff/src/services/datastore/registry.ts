/**
 * The configured datastores as engine instances: opened on first use, cached, re-opened when
 * their config entry changes, refused while a maintenance mode forbids the operation. Creation
 * and removal run as worker tasks ('create-datastore', 'delete-datastore').
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type DatastoreConfig, type DatastoreOperation } from '@pbs/api-types';
import { Datastore } from '@pbs/datastore';
import { LocalFsBackend } from '@pbs/storage';
import type { Clock } from '@pbs/tasks';
import type { DataDirLayout } from '../data-dir.js';
import type { TypedSectionConfig } from '../config/typed-config.js';
import type { DatastorePort } from './datastore-port.js';
import { adaptDatastore } from './engine-adapter.js';
import { checkMaintenance } from './maintenance.js';

interface OpenEntry {
  key: string;
  datastore: Promise<Datastore>;
}

export class DatastoreRegistry {
  private readonly opened = new Map<string, OpenEntry>();
  /** names whose creation task is running: listed, but not usable yet */
  readonly creating = new Set<string>();

  constructor(
    readonly config: TypedSectionConfig<DatastoreConfig>,
    private readonly layout: DataDirLayout,
    private readonly clock: Clock,
    /**
     * An injected server clock (tests): the storage must then stamp access times with it too,
     * or GC compares marks made on the system clock with a cutoff on the server clock.
     */
    private readonly storageClock?: Clock,
  ) {}

  defaultPath(name: string): string {
    return path.join(this.layout.datastores, name);
  }

  lockDir(name: string): string {
    return path.join(this.layout.run, 'locks', name);
  }

  backendFor(config: Pick<DatastoreConfig, 'name' | 'path' | 'tuning'>): LocalFsBackend {
    return new LocalFsBackend({
      name: config.name,
      base: config.path,
      syncLevel: config.tuning?.syncLevel,
      clock: this.storageClock,
    });
  }

  async list(): Promise<DatastoreConfig[]> {
    return (await this.config.read()).items;
  }

  async configOf(name: string): Promise<DatastoreConfig> {
    if (this.creating.has(name)) {
      throw new AppError('BUSY', `datastore '${name}' is still being created`, { details: { store: name } });
    }
    return (await this.config.get(name)).item;
  }

  /** The engine instance for an operation, after the maintenance-mode check. */
  async open(
    name: string,
    op: DatastoreOperation,
  ): Promise<{ datastore: Datastore; config: DatastoreConfig }> {
    const config = await this.configOf(name);
    checkMaintenance(name, config.maintenanceMode, op);
    const key = JSON.stringify([config.path, config.tuning ?? {}]);
    let entry = this.opened.get(name);
    if (entry?.key !== key) {
      const opening = Datastore.open({
        name,
        backend: this.backendFor(config),
        lockDir: this.lockDir(name),
        clock: this.clock,
        tuning: {
          gcAtimeCutoffMinutes: config.tuning?.gcAtimeCutoff,
          gcAtimeSafetyCheck: config.tuning?.gcAtimeSafetyCheck,
          gcCacheCapacity: config.tuning?.gcCacheCapacity,
          chunkOrder: config.tuning?.chunkOrder,
        },
      });
      entry = { key, datastore: opening };
      this.opened.set(name, entry);
      opening.catch(() => this.opened.delete(name));
    }
    return { datastore: await entry.datastore, config };
  }

  /** The datastore in API shapes (see DatastorePort), after the maintenance-mode check. */
  async port(
    name: string,
    op: DatastoreOperation,
  ): Promise<{ port: DatastorePort; config: DatastoreConfig }> {
    const { datastore, config } = await this.open(name, op);
    return { port: adaptDatastore(datastore), config };
  }

  forget(name: string): void {
    this.opened.delete(name);
  }

  /** PBS: a new datastore directory must be empty except for dot entries and lost+found. */
  async checkEmptyTarget(dir: string): Promise<void> {
    let entries: string[];
    try {
      entries = await fs.readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new AppError('INVALID_ARGUMENT', `path '${dir}' cannot be used: ${(err as Error).message}`, {
        details: { field: 'path' },
      });
    }
    const foreign = entries.filter((e) => !e.startsWith('.') && e !== 'lost+found');
    if (foreign.length > 0) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `path '${dir}' is not empty (found '${foreign[0]}'); choose an empty directory or reuse the datastore`,
        {
          details: { field: 'path' },
        },
      );
    }
  }
}
