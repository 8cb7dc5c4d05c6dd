import { FetchFingerprintInputSchema, FetchFingerprintOutputSchema } from '@pbs/api-types';
import { fetchPeerCertificate } from '@pbs/sync';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { remoteAclPath } from './remote-path.js';

/**
 * Reads the certificate a host presents (nothing else is sent), for the admin to compare and
 * confirm before it is saved as the remote's fingerprint. Remote.Modify: only those who may add
 * remotes probe hosts.
 */
export const fetchFingerprint = privilegedProcedure(FetchFingerprintInputSchema, {
  privs: ['Remote.Modify'],
  path: remoteAclPath(),
})
  .output(FetchFingerprintOutputSchema)
  .mutation(async ({ input }) => fetchPeerCertificate(input.host, input.port));
