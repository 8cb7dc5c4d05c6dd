/** Chunk upload counters of a session and of each archive (PBS's "Upload statistics"). */
export class UploadStats {
  chunks = 0;
  bytes = 0;
  encodedBytes = 0;
  duplicates = 0;

  add(size: number, encoded: number, duplicate: boolean): void {
    this.chunks += 1;
    this.bytes += size;
    this.encodedBytes += encoded;
    if (duplicate) this.duplicates += 1;
  }

  snapshot(): { bytes: number; chunks: number; duplicates: number } {
    return { bytes: this.bytes, chunks: this.chunks, duplicates: this.duplicates };
  }

  describe(): string {
    const ratio = this.bytes === 0 ? 1 : this.encodedBytes / this.bytes;
    return `${this.chunks} chunks uploaded (${this.duplicates} already on the server), ${this.bytes} bytes, compression ${(ratio * 100).toFixed(0)}%`;
  }
}
