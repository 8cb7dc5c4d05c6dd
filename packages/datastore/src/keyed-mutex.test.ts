import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('serialises holders of one key in arrival order and forgets idle keys', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const release = await mutex.acquire('a');
    const second = mutex.run('a', () => Promise.resolve(void order.push('second')));
    const third = mutex.run('a', () => Promise.resolve(void order.push('third')));
    await Promise.resolve();
    order.push('first');
    release();
    release();
    await Promise.all([second, third]);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(mutex.size).toBe(0);
  });

  it('lets different keys proceed independently and releases after a failure', async () => {
    const mutex = new KeyedMutex();
    const releaseA = await mutex.acquire('a');
    await mutex.run('b', () => Promise.resolve());
    await expect(mutex.run('c', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await mutex.run('c', () => Promise.resolve());
    releaseA();
    expect(mutex.size).toBe(0);
  });
});
