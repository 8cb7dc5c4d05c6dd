import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { S3RVER_CHILD_SOURCE } from './s3rver-child.js';

/*
 * A real S3-protocol server for tests: s3rver in its own process, over HTTPS with a fresh
 * self-signed certificate (endpoints are HTTPS as in PBS; the client pins it by fingerprint),
 * on 127.0.0.1 and a free port, storing into a temp directory. The child runs with
 * `--openssl-legacy-provider`, which s3rver needs for paginated listings (it encrypts
 * continuation tokens with DES), so the test process itself does not.
 */

export interface S3TestServer {
  /** host for the endpoint config ('127.0.0.1'); use with `port` and `pathStyle: true` */
  readonly endpoint: string;
  readonly port: number;
  /** SHA-256 of the certificate, lowercase colon hex */
  readonly fingerprint: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** PEM certificate and key, for a proxy that terminates TLS in front of the server */
  readonly certPem: string;
  readonly keyPem: string;
  /** s3rver's storage directory */
  readonly directory: string;
  /** an endpoint config for this server (merge fields to test quirks) */
  config(): {
    endpoint: string;
    port: number;
    region: string;
    accessKey: string;
    secretKey: string;
    fingerprint: string;
    pathStyle: boolean;
  };
  /** stops the process; the data stays */
  stop(): Promise<void>;
  /** starts it again on the same port with the same data */
  restart(): Promise<void>;
  /** stops it and removes its files */
  close(): Promise<void>;
}

export interface StartS3ServerOptions {
  readonly bucket?: string;
  /** default: a free one */
  readonly port?: number;
}

const STARTUP_TIMEOUT_MS = 20_000;

async function makeCertificate(dir: string): Promise<{ key: string; cert: string }> {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '7',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { key, cert };
}

function launch(args: object): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '-e', S3RVER_CHILD_SOURCE, JSON.stringify(args)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`s3rver did not start within ${STARTUP_TIMEOUT_MS} ms: ${stderr}`));
    }, STARTUP_TIMEOUT_MS);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve({ child, port: (JSON.parse(line) as { port: number }).port });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with code ${code}: ${stderr}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts s3rver (see the module comment); `close()` it in afterAll. */
export async function startS3Server(opts: StartS3ServerOptions = {}): Promise<S3TestServer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pbs-s3rver-'));
  const { key, cert } = await makeCertificate(dir);
  const certPem = await fsp.readFile(cert, 'utf8');
  const keyPem = await fsp.readFile(key, 'utf8');
  const fingerprint = new X509Certificate(certPem).fingerprint256.toLowerCase();
  const bucket = opts.bucket ?? 'pbs-test';
  const directory = path.join(dir, 'data');
  await fsp.mkdir(directory);
  const s3rver = createRequire(import.meta.url).resolve('s3rver');
  const args = { s3rver, directory, key, cert, bucket, port: opts.port ?? 0 };
  let { child, port } = await launch(args);
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    child.kill('SIGKILL');
    await exited(child);
  };
  return {
    endpoint: '127.0.0.1',
    get port() {
      return port;
    },
    fingerprint,
    bucket,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    certPem,
    keyPem,
    directory,
    config() {
      return {
        endpoint: '127.0.0.1',
        port,
        region: 'us-east-1',
        accessKey: 'S3RVER',
        secretKey: 'S3RVER',
        fingerprint,
        pathStyle: true,
      };
    },
    stop,
    async restart() {
      await stop();
      ({ child, port } = await launch({ ...args, port }));
      running = true;
    },
    async close() {
      await stop();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
