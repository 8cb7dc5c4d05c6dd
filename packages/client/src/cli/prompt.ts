import type { Readable, Writable } from 'node:stream';

/*
 * Terminal prompts: a password read without echo, a y/n confirmation. Only used when stdin is a
 * TTY; everything non-interactive goes through flags and environment.
 */

export interface Terminal {
  readonly input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly output: Writable;
}

export function isInteractive(t: Terminal): boolean {
  return t.input.isTTY === true && typeof t.input.setRawMode === 'function';
}

/** Reads a line without echo (Ctrl-C aborts). */
export function readPassword(t: Terminal, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    t.output.write(question);
    t.input.setRawMode?.(true);
    t.input.resume();
    let value = '';
    const finish = (err?: Error) => {
      t.input.setRawMode?.(false);
      t.input.pause();
      t.input.off('data', onData);
      t.output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    t.input.on('data', onData);
  });
}

export async function readAndVerifyPassword(t: Terminal, question: string): Promise<string> {
  const first = await readPassword(t, question);
  const second = await readPassword(t, 'Verify Password: ');
  if (first !== second) throw new Error('Passwords do not match!');
  return first;
}

export function readLine(t: Terminal, question: string): Promise<string> {
  return new Promise((resolve) => {
    t.output.write(question);
    t.input.resume();
    let value = '';
    const onData = (data: Buffer) => {
      value += data.toString('utf8');
      const nl = value.indexOf('\n');
      if (nl < 0) return;
      t.input.off('data', onData);
      t.input.pause();
      resolve(value.slice(0, nl).trim());
    };
    t.input.on('data', onData);
  });
}

/** PBS's fingerprint question: y/Y accepts, n/N refuses, anything else asks again. */
export async function confirmFingerprint(t: Terminal, fingerprint: string): Promise<boolean> {
  t.output.write(`fingerprint: ${fingerprint}\n`);
  for (;;) {
    const answer = await readLine(t, 'Are you sure you want to continue connecting? (y/n): ');
    if (answer === 'y' || answer === 'Y') return true;
    if (answer === 'n' || answer === 'N') return false;
  }
}
