/*
 * What one archive upload did (pbs-client UploadStats): the numbers PBS prints per archive
 * ("had to backup X of Y (compressed Z) in S s") and that --output-format json reports.
 */

export interface UploadStats {
  readonly archive: string;
  /** total data bytes of the archive */
  readonly size: number;
  readonly chunkCount: number;
  /** chunks sent to the server */
  readonly uploadedChunks: number;
  /** plaintext bytes of the chunks sent */
  readonly uploadedBytes: number;
  /** encoded (compressed/encrypted) bytes sent */
  readonly compressedBytes: number;
  /** chunks known from the previous snapshot or earlier in this session (not sent) */
  readonly reusedChunks: number;
  readonly reusedBytes: number;
  /** all-zero chunks among them (images) */
  readonly zeroChunks: number;
  /** index csum (hex) as the manifest records it */
  readonly csum: string;
  readonly durationMs: number;
  /** time the producer waited for a free upload slot (server or network bound when large) */
  readonly stallMs: number;
}

export class UploadCounters {
  size = 0;
  chunkCount = 0;
  uploadedChunks = 0;
  uploadedBytes = 0;
  compressedBytes = 0;
  reusedChunks = 0;
  reusedBytes = 0;
  zeroChunks = 0;
  /** plaintext bytes whose upload completed (progress) */
  sentBytes = 0;
  stallMs = 0;

  /** A chunk to upload; its encoded size is added when known (addEncoded). */
  addNew(size: number): number {
    const offset = this.size;
    this.size += size;
    this.chunkCount++;
    this.uploadedChunks++;
    this.uploadedBytes += size;
    return offset;
  }

  addEncoded(encoded: number): void {
    this.compressedBytes += encoded;
  }

  addKnown(size: number): number {
    const offset = this.size;
    this.size += size;
    this.chunkCount++;
    this.reusedChunks++;
    this.reusedBytes += size;
    return offset;
  }

  finish(archive: string, csum: string, durationMs: number): UploadStats {
    return {
      archive,
      size: this.size,
      chunkCount: this.chunkCount,
      uploadedChunks: this.uploadedChunks,
      uploadedBytes: this.uploadedBytes,
      compressedBytes: this.compressedBytes,
      reusedChunks: this.reusedChunks,
      reusedBytes: this.reusedBytes,
      zeroChunks: this.zeroChunks,
      csum,
      durationMs,
      stallMs: this.stallMs,
    };
  }
}
