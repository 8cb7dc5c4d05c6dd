import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { openAccess, rejection, type AccessFixture } from './testing/access-fixture.js';

let f: AccessFixture;
const PW = 'alice-password';

beforeEach(async () => {
  f = await openAccess();
  await f.access.bootstrapAdmin('admin-password');
  await f.access.createUser({ userid: 'alice@pbs', password: PW });
});

afterEach(() => f.cleanup());

describe('login', () => {
  it('returns a ticket and CSRF token that verify', async () => {
    const session = await f.access.login('alice@pbs', PW, '10.0.0.1');
    expect(session.username).toBe('alice@pbs');
    await expect(f.access.verifyTicket(session.ticket)).resolves.toEqual({ userid: 'alice@pbs' });
    expect(f.access.verifyCsrfToken('alice@pbs', session.csrfToken)).toBe(true);
    expect(f.access.verifyCsrfToken('admin@pbs', session.csrfToken)).toBe(false);
  });

  it('answers every kind of failure alike', async () => {
    await f.access.createUser({ userid: 'off@pbs', password: PW, enable: false });
    await f.access.createUser({ userid: 'old@pbs', password: PW, expire: f.clock.sec() });
    for (const [user, password] of [
      ['alice@pbs', 'wrong-password'],
      ['nobody@pbs', PW],
      ['off@pbs', PW],
      ['old@pbs', PW],
      ['alice@pam', PW],
      ['alice', PW],
    ] as const) {
      const err = await rejection(f.access.login(user, password, `10.0.0.${user.length}`), 'UNAUTHENTICATED');
      expect(err.message).toBe('authentication failed');
    }
  });
});

describe('login throttling', () => {
  async function fail(user: string, addr: string, times: number) {
    for (let i = 0; i < times; i++) await rejection(f.access.login(user, 'wrong', addr), 'UNAUTHENTICATED');
  }

  it('locks a user after 5 failures, refusing even the right password until the delay passed', async () => {
    await fail('alice@pbs', '10.0.0.1', 5);
    const err = await rejection(f.access.login('alice@pbs', PW, '10.0.0.2'), 'UNAUTHENTICATED');
    expect(err.message).toBe('too many failed login attempts; try again in 30 seconds');
    expect(err.details).toEqual({ retryAfterSec: 30 });
    f.clock.advanceSec(30);
    await expect(f.access.login('alice@pbs', PW, '10.0.0.2')).resolves.toMatchObject({
      username: 'alice@pbs',
    });
  });

  it('doubles the delay for each failure after the lock, and a success resets the user', async () => {
    await fail('alice@pbs', '10.0.0.1', 5);
    f.clock.advanceSec(30);
    await fail('alice@pbs', '10.0.0.2', 1);
    expect((await rejection(f.access.login('alice@pbs', PW, '10.0.0.3'), 'UNAUTHENTICATED')).details).toEqual(
      {
        retryAfterSec: 60,
      },
    );
    f.clock.advanceSec(60);
    await f.access.login('alice@pbs', PW, '10.0.0.3');
    await fail('alice@pbs', '10.0.0.4', 4);
    await expect(f.access.login('alice@pbs', PW, '10.0.0.4')).resolves.toMatchObject({
      username: 'alice@pbs',
    });
  });

  it('locks a remote address that tries many users, without locking those users elsewhere', async () => {
    for (const user of ['u1@pbs', 'u2@pbs', 'u3@pbs', 'u4@pbs', 'u5@pbs']) await fail(user, '192.0.2.9', 1);
    await rejection(f.access.login('alice@pbs', PW, '192.0.2.9'), 'UNAUTHENTICATED').then((err) =>
      expect(err.details).toEqual({ retryAfterSec: 30 }),
    );
    await expect(f.access.login('alice@pbs', PW, '10.0.0.1')).resolves.toMatchObject({
      username: 'alice@pbs',
    });
  });
});

describe('tickets', () => {
  it('expire after the ticket lifetime', async () => {
    const { ticket } = await f.access.login('alice@pbs', PW, '10.0.0.1');
    f.clock.advanceSec(7200);
    await expect(f.access.verifyTicket(ticket)).resolves.toEqual({ userid: 'alice@pbs' });
    f.clock.advanceSec(1);
    expect((await rejection(f.access.verifyTicket(ticket), 'UNAUTHENTICATED')).message).toBe(
      'ticket expired',
    );
  });

  it('renew while valid into a fresh ticket, not after expiry', async () => {
    const { ticket } = await f.access.login('alice@pbs', PW, '10.0.0.1');
    f.clock.advanceSec(7000);
    const renewed = await f.access.renewTicket(ticket);
    expect(renewed.ticket).not.toBe(ticket);
    expect(f.access.verifyCsrfToken('alice@pbs', renewed.csrfToken)).toBe(true);
    f.clock.advanceSec(7000);
    await rejection(f.access.renewTicket(ticket), 'UNAUTHENTICATED');
    await expect(f.access.verifyTicket(renewed.ticket)).resolves.toEqual({ userid: 'alice@pbs' });
  });

  it('stop working when the user is disabled or removed', async () => {
    const { ticket } = await f.access.login('alice@pbs', PW, '10.0.0.1');
    await f.access.updateUser('alice@pbs', { enable: false });
    const err = await rejection(f.access.verifyTicket(ticket), 'UNAUTHENTICATED');
    expect(err.message).toBe('user account is disabled, expired or removed');
    await f.access.updateUser('alice@pbs', { enable: true });
    await f.access.verifyTicket(ticket);
    await f.access.removeUser('alice@pbs');
    await rejection(f.access.verifyTicket(ticket), 'UNAUTHENTICATED');
    await rejection(f.access.renewTicket(ticket), 'UNAUTHENTICATED');
  });

  it('reject a tampered ticket', async () => {
    const { ticket } = await f.access.login('alice@pbs', PW, '10.0.0.1');
    const forged = ticket.replace('alice@pbs', 'admin@pbs');
    expect((await rejection(f.access.verifyTicket(forged), 'UNAUTHENTICATED')).message).toBe(
      'invalid ticket',
    );
  });
});

describe('CSRF tokens', () => {
  it('verify within the ticket lifetime only', () => {
    const token = f.access.createCsrfToken('alice@pbs');
    f.clock.advanceSec(7200);
    expect(f.access.verifyCsrfToken('alice@pbs', token)).toBe(true);
    f.clock.advanceSec(1);
    expect(f.access.verifyCsrfToken('alice@pbs', token)).toBe(false);
  });
});
