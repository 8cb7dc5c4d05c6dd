import { z } from 'zod';
import { UpdateRemoteInputSchema, type RemoteConfig } from '@pbs/api-types';
import { normalizeCertFingerprint } from '@pbs/client';
import { encodeRemotePassword } from '../../services/config/sync-config.js';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { remoteAclPath } from './remote-path.js';

/** Absent fields (the password included) keep their value; `delete` clears optional ones. */
export const update = privilegedProcedure(UpdateRemoteInputSchema, {
  privs: ['Remote.Modify'],
  path: (input) => remoteAclPath(input.name),
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { name, digest, delete: deleted = [], password, ...patch } = input;
    const defined: Record<string, unknown> = Object.fromEntries(
      Object.entries(patch).filter(([, v]) => v !== undefined),
    );
    if (typeof defined.fingerprint === 'string')
      defined.fingerprint = normalizeCertFingerprint(defined.fingerprint);
    if (password !== undefined) defined.password = encodeRemotePassword(password);
    await ctx.services.remotes.update(
      name,
      (current) => {
        const next: Record<string, unknown> = { ...current, ...defined };
        for (const key of deleted) delete next[key];
        return next as RemoteConfig;
      },
      digest,
    );
  });
