import { z } from 'zod';
import { CreateRemoteInputSchema } from '@pbs/api-types';
import { normalizeCertFingerprint } from '@pbs/client';
import { encodeRemotePassword } from '../../services/config/sync-config.js';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { remoteAclPath } from './remote-path.js';

/** PBS: Remote.Modify on /remote. The secret is stored base64-encoded. */
export const create = privilegedProcedure(CreateRemoteInputSchema, {
  privs: ['Remote.Modify'],
  path: remoteAclPath(),
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await ctx.services.remotes.create({
      ...input,
      ...(input.fingerprint !== undefined && { fingerprint: normalizeCertFingerprint(input.fingerprint) }),
      password: encodeRemotePassword(input.password),
    });
  });
