// `npm start`: install dependencies when missing, build, then run the server in the foreground.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureInstalled, root, run } from './lib.mjs';

await ensureInstalled();
if ((await run('npm', ['run', '--silent', 'build'])) !== 0) {
  process.stderr.write('build failed\n');
  process.exit(1);
}
const server = spawn(
  process.execPath,
  [path.join(root, 'apps/bff/dist/src/main.js'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
