import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TAPE_BLOCK_SIZE } from '../format/constants.js';
import { makeTapeFixture, type TapeFixture } from '../testing/fixture.js';
import { VirtualChanger } from './virtual-changer.js';
import { VirtualTapeDrive, createVirtualTape } from './virtual-tape.js';

const fixtures: TapeFixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
});

async function fixture(opts: Parameters<typeof makeTapeFixture>[0] = {}) {
  const f = await makeTapeFixture(opts);
  fixtures.push(f);
  return f;
}

const block = (n: number) => Buffer.alloc(TAPE_BLOCK_SIZE, n);

describe('virtual tape drive', () => {
  it('keeps PBS layout: files, positions, truncation on write, format', async () => {
    const f = await fixture({ labels: ['T1'] });
    const drive = await VirtualTapeDrive.open({ name: 'd', dir: f.tapeDir, maxSize: 16 * TAPE_BLOCK_SIZE });
    try {
      await drive.load('T1');
      for (const n of [1, 2, 3]) {
        const sink = await drive.writeFile();
        await sink.writeBlock(block(n));
        await sink.writeFilemark();
      }
      expect(JSON.parse(await fsp.readFile(path.join(f.tapeDir, 'tape-T1.json'), 'utf8'))).toEqual({
        files: 3,
      });
      expect(JSON.parse(await fsp.readFile(path.join(f.tapeDir, 'drive-status.json'), 'utf8'))).toEqual({
        current_tape: { name: 'T1', pos: 3 },
      });
      expect((await fsp.stat(path.join(f.tapeDir, 'tapefile-1-T1.json'))).size).toBe(TAPE_BLOCK_SIZE);
      await drive.moveToFile(1);
      const src = await drive.readNextFile();
      expect((await src?.readBlock())?.[0]).toBe(2);
      expect(await src?.readBlock()).toBeNull();
      await src?.close();
      expect(await drive.currentFileNumber()).toBe(2);
      await drive.moveToFile(1);
      const sink = await drive.writeFile();
      await sink.writeBlock(block(9));
      await sink.writeFilemark();
      expect((await drive.status()).files).toBe(2);
      await expect(fsp.stat(path.join(f.tapeDir, 'tapefile-2-T1.json'))).rejects.toThrow();
      expect(await drive.readNextFile()).toBeNull();
      await expect(drive.moveToFile(5)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await drive.format();
      expect((await drive.status()).files).toBe(0);
    } finally {
      drive.close();
    }
  });

  it('signals LEOM after max(2, free/block) blocks and ENOSPC two blocks later', async () => {
    const f = await fixture({ labels: ['T1'] });
    const drive = await VirtualTapeDrive.open({ name: 'd', dir: f.tapeDir, maxSize: 5 * TAPE_BLOCK_SIZE });
    try {
      await drive.load('T1');
      const first = await drive.writeFile();
      await first.writeBlock(block(1));
      await first.writeFilemark();
      const sink = await drive.writeFile(); // 4 blocks free
      const leom = [];
      for (let i = 0; i < 6; i++) leom.push(await sink.writeBlock(block(2)));
      expect(leom).toEqual([false, false, false, false, true, true]);
      await expect(sink.writeBlock(block(2))).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    } finally {
      drive.close();
    }
  });

  it('the status can be read without the lock while the drive is open', async () => {
    const f = await fixture({ labels: ['T1'] });
    await f.device.changer.loadMedia('T1', 0);
    const drive = await f.device.openDrive();
    try {
      const sink = await drive.writeFile();
      await sink.writeBlock(block(1));
      await sink.writeFilemark();
      expect(await f.device.peekStatus()).toMatchObject({
        loaded: 'T1',
        fileNumber: 1,
        files: 1,
        bytesUsed: TAPE_BLOCK_SIZE,
      });
    } finally {
      drive.close();
    }
  });

  it('a second open of the same drive waits for the lock and fails BUSY', async () => {
    const f = await fixture();
    const drive = await VirtualTapeDrive.open({ name: 'd', dir: f.tapeDir });
    try {
      const { FileLock } = await import('@pbs/config');
      await expect(
        FileLock.acquire(path.join(f.tapeDir, '.drive.lck'), { timeoutMs: 50 }),
      ).rejects.toMatchObject({ code: 'BUSY' });
    } finally {
      drive.close();
    }
  });
});

describe('virtual changer', () => {
  it('places tapes in slots, loads, unloads back to the source slot, transfers', async () => {
    const f = await fixture({ labels: ['A1', 'A2', 'A3'], slots: 6, exportSlots: [6] });
    const changer = f.device.changer;
    let status = await changer.status();
    expect(status.slots.map((s) => [s.id, s.kind, s.label ?? null])).toEqual([
      [1, 'slot', 'A1'],
      [2, 'slot', 'A2'],
      [3, 'slot', 'A3'],
      [4, 'slot', null],
      [5, 'slot', null],
      [6, 'import-export', null],
    ]);
    await changer.loadSlot(2, 0);
    status = await changer.status();
    expect(status.drives[0]).toMatchObject({ label: 'A2', loadedSlot: 2 });
    expect(status.slots[1]?.label).toBeUndefined();
    await expect(changer.loadSlot(1, 0)).rejects.toMatchObject({ code: 'BUSY' });
    await changer.loadMedia('A3', 0); // unloads A2 first
    status = await changer.status();
    expect(status.drives[0]?.label).toBe('A3');
    expect(status.slots[1]?.label).toBe('A2');
    await changer.unload(0, 5);
    expect((await changer.status()).slots[4]?.label).toBe('A3');
    await changer.transfer(5, 4);
    expect((await changer.status()).slots.map((s) => s.label ?? null)).toEqual([
      'A1',
      'A2',
      null,
      'A3',
      null,
      null,
    ]);
    await expect(changer.transfer(3, 4)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(changer.loadSlot(9, 0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('export moves a cartridge to the mail slot, which is offline; removal takes it out; import places new tapes', async () => {
    const f = await fixture({ labels: ['A1', 'A2'], slots: 4, exportSlots: [4] });
    const changer = f.device.changer as VirtualChanger;
    await changer.loadMedia('A1', 0);
    expect(await changer.exportMedia('A1')).toBe(true);
    expect((await changer.status()).slots[3]?.label).toBe('A1');
    expect((await changer.onlineMedia()).sort()).toEqual(['A2']);
    expect(await changer.exportMedia('A2')).toBe(false); // mail slot taken
    await expect(changer.loadMedia('A1', 0)).rejects.toThrow(/import\/export slot/);
    await changer.removeFromMailSlot(4, path.join(f.dir, 'outside'));
    expect(await fsp.readdir(path.join(f.dir, 'outside'))).toContain('tape-A1.json');
    await createVirtualTape(f.tapeDir, 'B1');
    expect((await changer.status()).slots.map((s) => s.label ?? null)).toEqual(['B1', 'A2', null, null]);
  });

  it('a standalone virtual drive is its own changer with slots rounded up to 8', async () => {
    const f = await fixture({ labels: ['X1', 'X2'] });
    const changer = new VirtualChanger({ name: 'vd', dir: f.tapeDir });
    const status = await changer.status();
    expect(status.slots).toHaveLength(8);
    expect(status.slots.filter((s) => s.label).map((s) => s.label)).toEqual(['X1', 'X2']);
  });
});
