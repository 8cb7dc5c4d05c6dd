import {
  PruneJobConfigSchema,
  UpdatePruneJobInputSchema,
  UpdateVerifyJobInputSchema,
  VerifyJobConfigSchema,
} from '@pbs/api-types';
import { startPruneJob, startVerifyJob } from '../../services/datastore/operations.js';
import { makeJobRouter } from './job-router.js';

export const pruneJobRouter = makeJobRouter({
  noun: 'prune job',
  jobType: 'prunejob',
  privilege: 'Datastore.Modify',
  file: (services) => services.pruneJobs,
  configSchema: PruneJobConfigSchema,
  updateSchema: UpdatePruneJobInputSchema,
  start: (services, job, authId) => startPruneJob(services, job, authId),
});

export const verifyJobRouter = makeJobRouter({
  noun: 'verify job',
  jobType: 'verificationjob',
  privilege: 'Datastore.Verify',
  file: (services) => services.verifyJobs,
  configSchema: VerifyJobConfigSchema,
  updateSchema: UpdateVerifyJobInputSchema,
  start: (services, job, authId) => startVerifyJob(services, job, authId),
});
