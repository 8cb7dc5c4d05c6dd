/**
 * One reader protocol session (api2/reader, pbs-formats §10.4): downloads of the snapshot's
 * files, and of chunks only after an index that references them was downloaded in this session.
 */
import { AppError } from '@pbs/api-types';
import {
  archiveKindOf,
  DynamicIndexReader,
  FixedIndexReader,
  parseDigest,
  type SnapshotReader,
} from '@pbs/datastore';
import { BinaryReply, type H2Request, type H2Routes } from './h2-server.js';
import { digestParam, required } from './query.js';

const SPEEDTEST = Buffer.alloc(1024 * 1024, 0x41);

export class ReaderSession {
  private readonly allowed = new Set<string>();
  bytesSent = 0;

  constructor(
    private readonly reader: SnapshotReader,
    private readonly log: (message: string) => void,
  ) {}

  routes(): H2Routes {
    return {
      'GET /download': (req) => this.download(req),
      'GET /chunk': (req) => this.chunk(req),
      'GET /speedtest': () => Promise.resolve(new BinaryReply(SPEEDTEST)),
      'GET /': () => Promise.resolve(['chunk', 'download', 'speedtest']),
    };
  }

  private async download(req: H2Request): Promise<BinaryReply> {
    const name = required(req.query, 'file-name');
    const raw = await this.reader.readFile(name);
    const kind = archiveKindOf(name);
    if (kind === 'fixed' || kind === 'dynamic') {
      const index =
        kind === 'fixed' ? FixedIndexReader.decode(raw, name) : DynamicIndexReader.decode(raw, name);
      for (let pos = 0; pos < index.count; pos++) {
        const digest = index.digestAt(pos);
        if (digest !== undefined) this.allowed.add(digest);
      }
      this.log(`register chunks in '${name}' as downloadable`);
    }
    this.log(`download '${name}'`);
    this.bytesSent += raw.length;
    return new BinaryReply(raw);
  }

  private async chunk(req: H2Request): Promise<BinaryReply> {
    const digest = digestParam(req.query, 'digest');
    if (!this.allowed.has(digest)) {
      throw new AppError('UNAUTHENTICATED', `download chunk ${digest} not allowed`);
    }
    const blob = await this.reader.loadChunk(parseDigest(digest));
    this.bytesSent += blob.raw.length;
    return new BinaryReply(blob.raw);
  }
}
