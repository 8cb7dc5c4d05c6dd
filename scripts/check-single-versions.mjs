// One Mantine and one tRPC version in the whole tree: two copies would mean two React contexts
// (Mantine) or mismatched wire types (tRPC). npm does not fail on this by itself.
import { execFileSync } from 'node:child_process';
import { root } from './lib.mjs';

const families = ['@mantine/', '@trpc/'];
const tree = JSON.parse(
  execFileSync('npm', ['ls', '--all', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 }),
);
const seen = new Map();
(function walk(node) {
  for (const [name, dep] of Object.entries(node.dependencies ?? {})) {
    if (families.some((f) => name.startsWith(f)) && dep.version) {
      if (!seen.has(name)) seen.set(name, new Set());
      seen.get(name).add(dep.version);
    }
    walk(dep);
  }
})(tree);
const familyVersions = new Map();
for (const [name, versions] of seen) {
  const family = families.find((f) => name.startsWith(f));
  for (const v of versions) familyVersions.set(family, new Set([...(familyVersions.get(family) ?? []), v]));
}
let bad = false;
for (const [family, versions] of familyVersions) {
  const list = [...versions].join(', ');
  if (versions.size !== 1) {
    bad = true;
    process.stderr.write(`${family}* has ${versions.size} versions in the tree: ${list}\n`);
  } else process.stdout.write(`${family}* ${list}: one version\n`);
}
for (const family of families) {
  if (!familyVersions.has(family)) {
    bad = true;
    process.stderr.write(`${family}* not found in the tree\n`);
  }
}
process.exit(bad ? 1 : 0);
