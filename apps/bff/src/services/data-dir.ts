/** The data directory's layout (DESIGN.md): created once at start, permissions as PBS keeps them. */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface DataDirLayout {
  root: string;
  /** configuration: *.cfg, shadow, keys, certificate */
  etc: string;
  /** state: job states, usage history, tape inventory */
  lib: string;
  /** runtime: locks, active operations */
  run: string;
  /** task logs (PBS layout) */
  tasks: string;
  /** default home of datastores created without an explicit path */
  datastores: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  return {
    root,
    etc: path.join(root, 'etc'),
    lib: path.join(root, 'lib'),
    run: path.join(root, 'run'),
    tasks: path.join(root, 'log', 'tasks'),
    datastores: path.join(root, 'datastores'),
  };
}

export async function ensureDataDir(root: string): Promise<DataDirLayout> {
  const layout = dataDirLayout(root);
  await fs.mkdir(layout.root, { recursive: true });
  // etc holds secrets (shadow, keys): only the server user may enter it.
  await fs.mkdir(layout.etc, { recursive: true, mode: 0o700 });
  await fs.chmod(layout.etc, 0o700);
  for (const dir of [layout.lib, layout.run, layout.tasks, layout.datastores]) {
    await fs.mkdir(dir, { recursive: true });
  }
  return layout;
}
