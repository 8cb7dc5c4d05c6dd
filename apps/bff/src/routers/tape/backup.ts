/**
 * One-shot tape backup and tape restore (PBS POST /tape/backup, POST /tape/restore), each a
 * worker task. Backup: Tape.Write on the pool and the drive, Datastore.Read on the store.
 * Restore: Tape.Read on the drive and the media set's pool, Datastore.Backup on every target.
 */
import { AppError, TapeBackupInputSchema, TapeRestoreInputSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { MediaCatalog } from '@pbs/tape';
import { restoreTargets, startTapeBackup, startTapeRestore } from '../../services/tape/tape-operations.js';
import { t } from '../../trpc/init.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

const backup = customAccessProcedure(
  'Tape.Write on /tape/pool/<pool> and /tape/device/<drive>, Datastore.Read on the store',
)
  .input(TapeBackupInputSchema)
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const { access } = ctx.services;
    const who = ctx.caller.authId;
    await access.checkPrivileges(who, `/tape/pool/${input.pool}`, ['Tape.Write']);
    await access.checkPrivileges(who, `/tape/device/${input.drive}`, ['Tape.Write']);
    await access.checkPrivileges(who, `/datastore/${input.store}`, ['Datastore.Read']);
    return { taskId: await startTapeBackup(ctx.services, input, who) };
  });

const restore = customAccessProcedure(
  "Tape.Read on /tape/device/<drive> and the media set's pool, Datastore.Backup on every target store",
)
  .input(TapeRestoreInputSchema)
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const { access, tape } = ctx.services;
    const who = ctx.caller.authId;
    await access.checkPrivileges(who, `/tape/device/${input.drive}`, ['Tape.Read']);
    const inventory = await tape.inventory();
    const members = inventory.mediaSetMembers(input.mediaSet);
    const pool = members.find((m) => m?.media_set_label)?.media_set_label?.pool;
    if (pool === undefined) {
      await access.checkPrivileges(who, '/tape/pool', ['Tape.Read']);
      throw new AppError('NOT_FOUND', `media set ${input.mediaSet} is not in the inventory`);
    }
    await access.checkPrivileges(who, `/tape/pool/${pool}`, ['Tape.Read']);
    const sources = new Set<string>();
    for (const m of members) {
      const catalog = m && (await MediaCatalog.load(tape.stateDir, m.label.uuid));
      for (const s of catalog ? catalog.snapshots() : []) sources.add(s.store);
    }
    for (const target of restoreTargets(input, [...sources])) {
      await access.checkPrivileges(who, `/datastore/${target}`, ['Datastore.Backup']);
      await ctx.services.datastores.configOf(target);
    }
    if (input.owner !== undefined && input.owner !== who) {
      await access.checkPrivileges(who, '/datastore', ['Datastore.Modify']).catch(() => {
        throw new AppError('PERMISSION_DENIED', `restoring as owner '${input.owner}' needs Datastore.Modify`);
      });
    }
    return { taskId: await startTapeRestore(ctx.services, input, who) };
  });

export const tapeRouter = t.router({ backup, restore });
