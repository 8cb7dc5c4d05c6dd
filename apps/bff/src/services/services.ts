/**
 * The composition root's object graph: every engine instance the routers use, built once from
 * the server config. Tests build the same graph on a temp dir through createServices.
 */
import os from 'node:os';
import { AccessControl } from '@pbs/access';
import { JobScheduler, JobStateStore, TaskManager, processStartTime, type Clock } from '@pbs/tasks';
import type { ServerInfo } from '@pbs/api-types';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { loadOrCreateCertificate, type ServerCertificate } from './certificate.js';
import { ensureDataDir, type DataDirLayout } from './data-dir.js';
import { JobRegistry } from './job-registry.js';
import { datastoreConfigFile } from './config/datastore-config.js';
import { s3ConfigFile } from './config/s3-config.js';
import { S3ClientRegistry } from './s3/s3-clients.js';
import { s3PricesFile } from './s3/s3-cost.js';
import { S3StatisticsStore } from './s3/s3-statistics.js';
import { pruneJobConfigFile, verifyJobConfigFile } from './config/job-config.js';
import { remoteConfigFile, syncJobConfigFile } from './config/sync-config.js';
import { syncJobSources } from './sync/run-sync.js';
import { TapeService } from './tape/tape-service.js';
import { tapeJobSources } from './tape/tape-operations.js';
import type { TypedSectionConfig } from './config/typed-config.js';
import { datastoreJobs } from './datastore/job-sources.js';
import { DatastoreRegistry } from './datastore/registry.js';
import { UsageHistoryStore } from './usage-history.js';
import type {
  PruneJobConfig,
  RemoteConfig,
  S3EndpointConfig,
  S3Prices,
  SyncJobConfig,
  VerifyJobConfig,
} from '@pbs/api-types';
import type { ConfigFile } from '@pbs/config';
import { taskLogRotationJob } from './jobs/task-log-rotation.js';
import { CpuMeter } from './node-status.js';
import { productInfo } from './product.js';

export interface Services {
  config: ServerConfig;
  layout: DataDirLayout;
  logger: Logger;
  clock: Clock;
  access: AccessControl;
  tasks: TaskManager;
  jobStates: JobStateStore;
  scheduler: JobScheduler;
  jobs: JobRegistry;
  datastores: DatastoreRegistry;
  pruneJobs: TypedSectionConfig<PruneJobConfig>;
  verifyJobs: TypedSectionConfig<VerifyJobConfig>;
  /** remote.cfg (password stored base64-encoded, never returned) */
  remotes: TypedSectionConfig<RemoteConfig>;
  /** sync.cfg */
  syncJobs: TypedSectionConfig<SyncJobConfig>;
  /** s3.cfg (the secret key never leaves the server) */
  s3Endpoints: TypedSectionConfig<S3EndpointConfig>;
  /** S3 clients per endpoint and bucket, request counters persisted in lib/s3-statistics */
  s3Clients: S3ClientRegistry;
  /** prices for the estimated monthly cost of S3 datastores */
  s3Prices: ConfigFile<S3Prices>;
  usageHistory: UsageHistoryStore;
  /** tape.cfg, media-pool.cfg, tape-job.cfg, and the tape state (lib/tape) */
  tape: TapeService;
  certificate: ServerCertificate;
  info: ServerInfo;
  cpu: CpuMeter;
  startedAt: number;
  /** whether this start created admin@pbs, and its generated password (shown once by main) */
  bootstrap: { created: boolean; password?: string };
}

export interface CreateServicesOptions {
  config: ServerConfig;
  logger: Logger;
  clock?: Clock;
  /** distinguishes a restarted server in tests, where the pid stays the same */
  pstart?: number;
}

export async function createServices(opts: CreateServicesOptions): Promise<Services> {
  const { config, logger } = opts;
  const clock = opts.clock ?? { now: () => Date.now() };
  const layout = await ensureDataDir(config.dataDir);
  const certificate = await loadOrCreateCertificate(layout.etc);
  if (certificate.created) logger.info('generated a self-signed TLS certificate');

  const access = await AccessControl.open({ etcDir: layout.etc, now: () => clock.now() });
  const bootstrap = await access.bootstrapAdmin(config.adminPassword);

  const tasks = new TaskManager({
    logDir: layout.tasks,
    node: os.hostname().split('.')[0] ?? 'localhost',
    pid: process.pid,
    pstart: opts.pstart ?? processStartTime() ?? Math.floor(Date.now() / 1000),
    clock,
  });
  await tasks.init();
  const jobStates = new JobStateStore({ dir: `${layout.lib}/jobstates`, clock, tasks });
  const jobs = new JobRegistry();
  jobs.add(() => [taskLogRotationJob(tasks)]);
  const scheduler = new JobScheduler({
    jobs: () => jobs.all(),
    states: jobStates,
    clock,
    onError: (err, job) =>
      logger.error({ err, job: `${job.jobType}/${job.id}` }, 'scheduled job failed to start'),
  });

  const s3Endpoints = s3ConfigFile(layout.etc);
  const s3Clients = new S3ClientRegistry(
    s3Endpoints,
    new S3StatisticsStore(`${layout.lib}/s3-statistics`, clock),
  );

  const services: Services = {
    config,
    layout,
    logger,
    clock,
    access,
    tasks,
    jobStates,
    scheduler,
    jobs,
    datastores: new DatastoreRegistry(datastoreConfigFile(layout.etc), layout, clock, opts.clock, s3Clients),
    pruneJobs: pruneJobConfigFile(layout.etc),
    verifyJobs: verifyJobConfigFile(layout.etc),
    remotes: remoteConfigFile(layout.etc),
    syncJobs: syncJobConfigFile(layout.etc),
    s3Endpoints,
    s3Clients,
    s3Prices: s3PricesFile(layout.etc),
    usageHistory: new UsageHistoryStore(`${layout.lib}/usage`, clock),
    tape: new TapeService(layout.etc, layout.lib, tasks),
    certificate,
    info: productInfo(config.bugTrackerUrl, certificate.fingerprint),
    cpu: new CpuMeter(),
    startedAt: clock.now(),
    bootstrap,
  };
  jobs.add(() => datastoreJobs(services));
  jobs.add(() => syncJobSources(services));
  jobs.add(() => tapeJobSources(services));
  return services;
}
