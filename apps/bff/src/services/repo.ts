/** Where the repository (root package.json) is, for the SPA build and the default bug tracker. */
import fs from 'node:fs';
import path from 'node:path';

export function findRepoRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    const pkgFile = path.join(dir, 'package.json');
    if (fs.existsSync(pkgFile)) {
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { workspaces?: unknown };
      if (pkg.workspaces !== undefined) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function defaultBugTrackerUrl(repoRoot: string | null): string | null {
  if (repoRoot === null) return null;
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    bugs?: { url?: string } | string;
  };
  return typeof pkg.bugs === 'string' ? pkg.bugs : (pkg.bugs?.url ?? null);
}
