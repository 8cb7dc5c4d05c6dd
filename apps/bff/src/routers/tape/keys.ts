/**
 * Tape encryption keys (PBS /config/tape-encryption-keys): list with Tape.Audit on /tape/pool
 * (fingerprint, hint, created — never the key); create (password and hint), restore from a key
 * config (paper key) and password, export the key config, remove: Tape.Modify on /tape/pool.
 */
import { z } from 'zod';
import {
  CreateTapeKeyInputSchema,
  RestoreTapeKeyInputSchema,
  TapeKeyConfigOutputSchema,
  TapeKeyInfoSchema,
  TapeKeyRefSchema,
  privilegeBit,
} from '@pbs/api-types';
import { t } from '../../trpc/init.js';
import { customAccessProcedure, privilegedProcedure } from '../../trpc/procedures.js';

const list = customAccessProcedure('all keys with Tape.Audit on /tape/pool, else none')
  .output(z.array(TapeKeyInfoSchema))
  .query(async ({ ctx }) => {
    const mask = await ctx.services.access.privileges(ctx.caller.authId, '/tape/pool');
    if ((mask & privilegeBit('Tape.Audit')) === 0) return [];
    return ctx.services.tape.keys.list();
  });

const modify = { privs: ['Tape.Modify' as const], path: '/tape/pool' };

const create = privilegedProcedure(CreateTapeKeyInputSchema, modify)
  .output(TapeKeyRefSchema)
  .mutation(async ({ ctx, input }) => ({
    fingerprint: await ctx.services.tape.keys.create({
      password: input.password,
      hint: input.hint,
      now: Math.floor(ctx.services.clock.now() / 1000),
    }),
  }));

const restore = privilegedProcedure(RestoreTapeKeyInputSchema, modify)
  .output(TapeKeyRefSchema)
  .mutation(async ({ ctx, input }) => ({ fingerprint: await ctx.services.tape.keys.restore(input) }));

const keyConfig = privilegedProcedure(TapeKeyRefSchema, modify)
  .output(TapeKeyConfigOutputSchema)
  .query(async ({ ctx, input }) => ({
    fingerprint: input.fingerprint,
    keyConfig: await ctx.services.tape.keys.keyConfig(input.fingerprint),
  }));

const remove = privilegedProcedure(TapeKeyRefSchema, modify)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await ctx.services.tape.keys.remove(input.fingerprint);
  });

export const tapeKeyRouter = t.router({ list, create, restore, keyConfig, remove });
