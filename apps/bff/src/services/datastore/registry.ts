/**
 * The configured datastores as engine instances: opened on first use, cached, re-opened when
 * their config entry changes, refused while a maintenance mode forbids the operation. Creation
 * and removal run as worker tasks ('create-datastore', 'delete-datastore'). A datastore with
 * `backend type=s3` opens on an S3Backend (its `path` is the local cache) built from its s3.cfg
 * endpoint; changing the endpoint makes its stores reopen.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type DatastoreConfig, type DatastoreOperation } from '@pbs/api-types';
import { Datastore } from '@pbs/datastore';
import { LocalFsBackend, type StorageBackend } from '@pbs/storage';
import type { Clock } from '@pbs/tasks';
import type { DataDirLayout } from '../data-dir.js';
import type { TypedSectionConfig } from '../config/typed-config.js';
import { s3BackendOf, type S3ClientRegistry } from '../s3/s3-clients.js';
import type { DatastorePort } from './datastore-port.js';
import { adaptDatastore } from './engine-adapter.js';
import { checkMaintenance } from './maintenance.js';

interface OpenEntry {
  key: string;
  /** the S3 endpoint id, for S3 datastores */
  endpoint?: string;
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
    private readonly s3?: S3ClientRegistry,
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

  /** The storage of a datastore: the filesystem, or S3 with `path` as the local cache. */
  async storageFor(
    config: Pick<DatastoreConfig, 'name' | 'path' | 'tuning' | 'backend'>,
  ): Promise<StorageBackend> {
    if (s3BackendOf(config) === undefined) return this.backendFor(config);
    if (this.s3 === undefined) {
      throw new AppError('NOT_IMPLEMENTED', `datastore '${config.name}': S3 backends are not configured`);
    }
    return this.s3.backendFor(config, { clock: this.storageClock, syncLevel: config.tuning?.syncLevel });
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
    return { datastore: await this.instance(config), config };
  }

  /** The engine instance whatever the maintenance mode (the task that set it, e.g. s3-refresh). */
  async openForMaintenance(name: string): Promise<{ datastore: Datastore; config: DatastoreConfig }> {
    const config = await this.configOf(name);
    return { datastore: await this.instance(config), config };
  }

  private instance(config: DatastoreConfig): Promise<Datastore> {
    const name = config.name;
    const key = JSON.stringify([config.path, config.tuning ?? {}, config.backend ?? {}]);
    let entry = this.opened.get(name);
    if (entry?.key !== key) {
      const opening = this.storageFor(config).then((backend) =>
        Datastore.open({
          name,
          backend,
          lockDir: this.lockDir(name),
          clock: this.clock,
          tuning: {
            gcAtimeCutoffMinutes: config.tuning?.gcAtimeCutoff,
            gcAtimeSafetyCheck: config.tuning?.gcAtimeSafetyCheck,
            gcCacheCapacity: config.tuning?.gcCacheCapacity,
            chunkOrder: config.tuning?.chunkOrder,
          },
        }),
      );
      entry = { key, endpoint: config.backend?.client, datastore: opening };
      this.opened.set(name, entry);
      opening.catch(() => this.opened.delete(name));
    }
    return entry.datastore;
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

  /** Reopen the datastores on an S3 endpoint that changed or went. */
  forgetEndpoint(endpoint: string): void {
    for (const [name, entry] of this.opened) if (entry.endpoint === endpoint) this.opened.delete(name);
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
