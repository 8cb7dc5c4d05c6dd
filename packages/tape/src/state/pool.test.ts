import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UNASSIGNED_MEDIA_SET_UUID } from '@pbs/api-types/domain';
import type { MediaId } from '../format/labels.js';
import { Inventory } from './inventory.js';
import { MediaPool } from './media-pool.js';
import {
  mediaSetExpireTime,
  parseAllocationPolicy,
  parseRetentionPolicy,
  parseTimeSpan,
} from './pool-policy.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fsp.rm(d, { recursive: true, force: true });
});

async function inventory(): Promise<Inventory> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pbs-inv-'));
  dirs.push(dir);
  return Inventory.load(dir);
}

const DAY = 86400;

describe('policy grammar', () => {
  it.each([
    ['30 days', 30 * DAY],
    ['1w 2d', 9 * DAY],
    ['12h', 12 * 3600],
    ['90', 90],
    ['2 months', 2 * 2629800],
    ['1y', 31557600],
    ['5min 3s', 303],
  ])('time span %s = %i s', (text, seconds) => {
    expect(parseTimeSpan(text)).toBe(seconds);
  });

  it.each(['', 'soon', '3 fortnights'])('time span %j is INVALID_ARGUMENT', (text) => {
    expect(() => parseTimeSpan(text)).toThrow();
  });

  it('allocation and retention policies', () => {
    expect(parseAllocationPolicy(undefined)).toEqual({ kind: 'continue' });
    expect(parseAllocationPolicy('always')).toEqual({ kind: 'always' });
    expect(parseAllocationPolicy('daily').kind).toBe('calendar');
    expect(() => parseAllocationPolicy('whenever')).toThrow(/allocation 'whenever'/);
    expect(parseRetentionPolicy(undefined)).toEqual({ kind: 'keep' });
    expect(parseRetentionPolicy('overwrite')).toEqual({ kind: 'overwrite' });
    expect(parseRetentionPolicy('1 week')).toEqual({ kind: 'protect', seconds: 7 * DAY });
    expect(() => parseRetentionPolicy('forever-ish')).toThrow(/retention/);
  });
});

describe('media set expiry (PBS media_expire_time)', () => {
  const T = 1_700_000_000;
  it.each([
    // allocation, retention, next set start, expected
    ['continue', 'keep', T + DAY, Infinity],
    ['continue', 'overwrite', undefined, Infinity],
    ['continue', 'overwrite', T + DAY, T + DAY],
    ['continue', '2 days', T + DAY, T + 3 * DAY],
    ['always', 'overwrite', undefined, T],
    ['always', '1 day', T + 5 * DAY, T + DAY],
    ['*-*-* 00:00 UTC', 'overwrite', undefined, 1_700_006_400],
    ['*-*-* 00:00 UTC', '1d', undefined, 1_700_006_400 + DAY],
  ] as const)('allocation %s, retention %s, next set %s → %s', (alloc, ret, next, expected) => {
    expect(
      mediaSetExpireTime({
        allocation: parseAllocationPolicy(alloc),
        retention: parseRetentionPolicy(ret),
        setStart: T,
        nextSetStart: next,
      }),
    ).toBe(expected);
  });
});

function medium(label: string, ctime: number, pool?: string): MediaId {
  const id: MediaId = { label: { uuid: randomUUID(), label_text: label, ctime, ...(pool ? { pool } : {}) } };
  if (pool) id.media_set_label = { pool, uuid: UNASSIGNED_MEDIA_SET_UUID, seq_nr: 0, ctime };
  return id;
}

async function online(inv: Inventory, ...ids: MediaId[]) {
  for (const id of ids) await inv.store(id, false);
  await inv.updateOnline(
    'lib',
    ids.map((i) => i.label.label_text),
  );
}

describe('media pool allocation', () => {
  it('continue: one set grows tape by tape; always: a new set per session', async () => {
    const inv = await inventory();
    await online(inv, medium('A', 10, 'p'), medium('B', 20, 'p'), medium('C', 30, 'p'));
    const pool = new MediaPool({ name: 'p', inventory: inv, changer: 'lib' });
    expect(await pool.startWriteSession(1000, false)).toBe('no current media set');
    const first = await pool.allocWritableMedia(1000);
    expect(first.id.label.label_text).toBe('A'); // oldest empty medium first
    expect(first.id.media_set_label?.seq_nr).toBe(0);
    expect((await pool.allocWritableMedia(1001)).added).toBe(false); // still writable
    await pool.setMediaFull(first.id.label.uuid);
    const second = await pool.allocWritableMedia(1002);
    expect([second.id.label.label_text, second.id.media_set_label?.seq_nr]).toEqual(['B', 1]);
    const set = pool.currentMediaSet;
    const again = new MediaPool({ name: 'p', inventory: inv, changer: 'lib' });
    expect(await again.startWriteSession(2000, false)).toBeNull();
    expect(again.currentMediaSet).toBe(set);
    const always = new MediaPool({ name: 'p', allocation: 'always', inventory: inv, changer: 'lib' });
    expect(await always.startWriteSession(3000, false)).toBe('policy is AlwaysCreate');
    expect(always.currentMediaSet).not.toBe(set);
    expect((await always.allocWritableMedia(3000)).id.label.label_text).toBe('C');
  });

  it('calendar allocation starts a new set once the event passed', async () => {
    const inv = await inventory();
    await online(inv, medium('A', 10, 'p'), medium('B', 20, 'p'));
    const pool = new MediaPool({ name: 'p', allocation: '*-*-* 00:00 UTC', inventory: inv, changer: 'lib' });
    await pool.startWriteSession(1_700_000_000, false);
    await pool.allocWritableMedia(1_700_000_000);
    const set = pool.currentMediaSet;
    expect(await pool.startWriteSession(1_700_000_500, false)).toBeNull();
    expect(pool.currentMediaSet).toBe(set);
    expect(await pool.startWriteSession(1_700_006_400, false)).toBe('policy CreateAt event triggered');
  });

  it('retention: keep never reuses, overwrite reuses expired media after free ones; vault media are never used', async () => {
    const inv = await inventory();
    const a = medium('A', 10, 'p');
    const b = medium('B', 20, 'p');
    await online(inv, a, b);
    const keep = new MediaPool({ name: 'p', allocation: 'always', inventory: inv, changer: 'lib' });
    await keep.startWriteSession(1000, false);
    await keep.allocWritableMedia(1000); // A in set 1
    await keep.startWriteSession(2000, false);
    await keep.allocWritableMedia(2000); // B in set 2
    await keep.startWriteSession(3000, false);
    await expect(keep.allocWritableMedia(3000)).rejects.toThrow(/no usable media found/);
    const overwrite = new MediaPool({
      name: 'p',
      allocation: 'always',
      retention: 'overwrite',
      inventory: inv,
      changer: 'lib',
    });
    await overwrite.startWriteSession(3000, false);
    const free = medium('F', 5);
    await online(inv, a, b, free);
    expect((await overwrite.allocWritableMedia(3000)).id.label.label_text).toBe('A'); // expired before free
    await overwrite.startWriteSession(4000, false);
    expect((await overwrite.allocWritableMedia(4000)).id.label.label_text).toBe('B');
    await overwrite.startWriteSession(5000, false);
    await inv.setLocation(a.label.uuid, { kind: 'vault', vault: 'safe' });
    // A (expired, in a vault) is skipped; the expired B still goes before the free F
    expect((await overwrite.allocWritableMedia(5000)).id.label.label_text).toBe('B');
    const listed = overwrite.listMedia(5000).map((m) => [m.id.label.label_text, m.status, m.expired]);
    expect(listed.sort()).toEqual([
      ['A', 'full', true],
      ['B', 'writable', false],
    ]);
    await overwrite.setMediaFull(b.label.uuid);
    expect((await overwrite.allocWritableMedia(5001)).id.label.label_text).toBe('F');
  });

  it('media of another changer or offline are not usable from a changer', async () => {
    const inv = await inventory();
    const a = medium('A', 10, 'p');
    await inv.store(a, false);
    const pool = new MediaPool({ name: 'p', inventory: inv, changer: 'lib' });
    await pool.startWriteSession(1000, false);
    await expect(pool.allocWritableMedia(1000)).rejects.toThrow(/no usable media/);
    await inv.updateOnline('lib', ['A']);
    expect((await pool.allocWritableMedia(1000)).id.label.label_text).toBe('A');
  });

  it('the inventory file is PBS JSON', async () => {
    const inv = await inventory();
    const a = medium('A', 10, 'p');
    await online(inv, a);
    await inv.setBytesUsed(a.label.uuid, 1234);
    const raw = JSON.parse(
      await fsp.readFile(path.join(inv.stateDir, 'inventory.json'), 'utf8'),
    ) as unknown[];
    expect(raw).toEqual([
      {
        id: {
          label: { uuid: a.label.uuid, label_text: 'A', ctime: 10, pool: 'p' },
          media_set_label: { pool: 'p', uuid: UNASSIGNED_MEDIA_SET_UUID, seq_nr: 0, ctime: 10 },
        },
        location: 'online-lib',
        bytes_used: 1234,
      },
    ]);
  });
});
