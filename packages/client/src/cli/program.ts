import { Command } from 'commander';
import { backupCommand, type DirectoryArchiverFactory } from './commands/backup.js';
import { keyCommand } from './commands/key.js';
import { maintenanceCommands } from './commands/maintenance.js';
import { miscCommands } from './commands/misc.js';
import { taskCommands } from './commands/task.js';
import { restoreCommand, type DirectoryExtractorFactory } from './commands/restore.js';
import { listCommand, snapshotCommand } from './commands/snapshot.js';
import type { CliContext } from './context.js';

/*
 * The command tree of `pbs-client`, as proxmox-backup-client names it. The pxar pieces are
 * plugged in by the composition root (they come from @pbs/pxar).
 */

export interface PxarPlugins {
  readonly archiver?: DirectoryArchiverFactory;
  readonly extractor?: DirectoryExtractorFactory;
  readonly catalog?: (program: Command, ctx: CliContext) => void;
}

export function buildProgram(ctx: CliContext, pxar: PxarPlugins = {}): Command {
  const program = new Command('pbs-client')
    .description('Proxmox Backup Server compatible backup client')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    });
  backupCommand(program, ctx, pxar.archiver);
  restoreCommand(program, ctx, pxar.extractor);
  listCommand(program, ctx);
  snapshotCommand(program, ctx);
  keyCommand(program, ctx);
  miscCommands(program, ctx);
  maintenanceCommands(program, ctx);
  taskCommands(program, ctx);
  pxar.catalog?.(program, ctx);
  return program;
}
