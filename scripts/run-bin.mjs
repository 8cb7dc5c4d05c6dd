// `npm run manager -- …` / `npm run client -- …`: build the packages if needed, then run the CLI.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureInstalled, root, run } from './lib.mjs';

const bins = {
  manager: 'apps/bff/dist/src/manager/main.js',
  client: 'packages/client/dist/cli/main.js',
};
const [name, ...args] = process.argv.slice(2);
if (!(name in bins)) {
  process.stderr.write(`unknown program '${name}'; one of: ${Object.keys(bins).join(', ')}\n`);
  process.exit(2);
}
await ensureInstalled();
if ((await run('npx', ['tsc', '-b'], { stdio: ['ignore', 'ignore', 'inherit'] })) !== 0) process.exit(1);
const child = spawn(process.execPath, [path.join(root, bins[name]), ...args], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 0));
