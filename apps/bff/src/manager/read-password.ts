/** Reads a new password: twice without echo on a terminal, one line from a pipe otherwise. */
import readline from 'node:readline';

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let prompted = false;
    output._writeToOutput = (s: string) => {
      // Echo only the prompt itself, never the typed characters.
      if (!prompted) process.stdout.write(s);
      prompted = true;
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function readLine(): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readLine();
  const first = await askHidden('New password: ');
  const second = await askHidden('Retype new password: ');
  if (first !== second) throw new Error('passwords do not match');
  return first;
}
