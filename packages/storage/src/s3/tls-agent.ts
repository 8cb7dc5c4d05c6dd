import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { CertificateMismatchError } from './s3-errors.js';

/*
 * HTTPS agents for S3 endpoints. Without a fingerprint, certificates are verified against the
 * system CAs as usual. With one, PBS's rule applies: a certificate that a trusted chain vouches
 * for is accepted, otherwise its SHA-256 must equal the configured fingerprint (self-signed
 * endpoints such as a local MinIO). The check runs after the handshake but before the socket is
 * handed to the request, so nothing (not even a signed request) reaches an impostor.
 */

export interface AgentOptions {
  /** normalised (lowercase colon hex) SHA-256 fingerprint, or undefined for CA verification */
  readonly fingerprint?: string;
  readonly maxSockets?: number;
}

type ConnectCallback = (err: Error | null, socket: Duplex) => void;

class PinnedAgent extends https.Agent {
  constructor(
    opts: https.AgentOptions,
    private readonly fingerprint: string,
  ) {
    super(opts);
  }

  // Node's Agent accepts an asynchronous createConnection: return nothing, call back later
  override createConnection(options: https.RequestOptions, callback?: ConnectCallback): undefined {
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      socket.removeListener('error', onError);
      if (err) {
        socket.destroy();
        callback?.(err, socket);
      } else {
        callback?.(null, socket);
      }
    };
    const onError = (err: Error) => finish(err);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      if (socket.authorized) return finish(null);
      const actual = (socket.getPeerCertificate().fingerprint256 ?? '').toLowerCase();
      finish(actual === this.fingerprint ? null : new CertificateMismatchError(this.fingerprint, actual));
    });
    return undefined;
  }
}

export function createS3Agent(opts: AgentOptions): https.Agent {
  const common: https.AgentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 32 };
  return opts.fingerprint ? new PinnedAgent(common, opts.fingerprint) : new https.Agent(common);
}
