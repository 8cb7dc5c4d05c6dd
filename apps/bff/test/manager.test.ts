import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessControl } from '@pbs/access';
import { tempDir } from './fixtures.js';

const run = promisify(execFile);
const bffDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the recovery CLI from source, as an admin would run `npm run manager -- …`. */
function manager(dataDir: string, args: string[], input?: string) {
  const child = run(
    process.execPath,
    ['--conditions=@pbs/source', '--import', 'tsx', 'src/manager/main.ts', '--data-dir', dataDir, ...args],
    { cwd: bffDir },
  );
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child;
}

describe('pbs-manager recovery CLI', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDir();
    const access = await AccessControl.open({ etcDir: path.join(dataDir, 'etc') });
    await access.bootstrapAdmin('original-password');
    await access.updateUser('admin@pbs', { enable: false });
  });
  afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

  it('lists users, re-enables a locked-out admin and resets its password without the server', async () => {
    expect((await manager(dataDir, ['user', 'list'])).stdout).toContain('admin@pbs\tenabled=no');
    await manager(dataDir, ['user', 'enable', 'admin@pbs']);
    await manager(dataDir, ['user', 'passwd', 'admin@pbs'], 'brand-new-password\n');

    const access = await AccessControl.open({ etcDir: path.join(dataDir, 'etc') });
    expect(await access.verifyPassword('admin@pbs', 'brand-new-password')).toBe(true);
    const session = await access.login('admin@pbs', 'brand-new-password', '127.0.0.1');
    expect(session.username).toBe('admin@pbs');
  });

  it('refuses a too short password and unknown users with a message and exit code 1', async () => {
    await expect(manager(dataDir, ['user', 'passwd', 'admin@pbs'], 'short\n')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('at least 8 characters') as unknown,
    });
    await expect(manager(dataDir, ['user', 'enable', 'ghost@pbs'])).rejects.toMatchObject({ code: 1 });
  });

  it('prints the certificate fingerprint', async () => {
    const { stdout } = await manager(dataDir, ['cert-info']);
    expect(stdout).toMatch(/^Fingerprint \(sha256\): ([0-9a-f]{2}:){31}[0-9a-f]{2}$/m);
  });
});
