// Decoding of a compressed response body, capped so a small compressed bomb cannot fill memory.
import zlib from 'node:zlib';

export type DecodableEncoding = 'gzip' | 'deflate' | 'br';

export function decodableEncoding(contentEncoding: string | undefined): DecodableEncoding | undefined {
  const value = contentEncoding?.trim().toLowerCase();
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  if (value === 'br') return 'br';
  return undefined;
}

export interface DecodedBody {
  body: Uint8Array;
  /** the decoded body went past the cap and was cut */
  truncated: boolean;
  /** set when the data is corrupt or ends early; body holds what could be decoded */
  error?: string;
}

function decoderFor(encoding: DecodableEncoding): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress {
  // flushing on a truncated input yields what was decoded so far instead of only an error
  if (encoding === 'br') return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  if (encoding === 'gzip') return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

export function decodeBody(compressed: Uint8Array, encoding: DecodableEncoding, cap: number): Promise<DecodedBody> {
  return new Promise((resolve) => {
    const decoder = encoding === 'deflate' && looksRawDeflate(compressed)
      ? zlib.createInflateRaw({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : decoderFor(encoding);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: DecodedBody): void => {
      if (settled) return;
      settled = true;
      decoder.removeAllListeners('data');
      decoder.destroy();
      resolve(result);
    };
    decoder.on('data', (chunk: Buffer) => {
      const room = cap - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        finish({ body: Buffer.concat(chunks), truncated: true });
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    decoder.on('error', (err: Error) => finish({ body: Buffer.concat(chunks), truncated: false, error: `${encoding}: ${err.message}` }));
    decoder.on('end', () => finish({ body: Buffer.concat(chunks), truncated: false }));
    decoder.end(compressed);
  });
}

/** Some servers send raw DEFLATE (no zlib header) as "deflate"; a zlib stream starts with CMF 0x78-ish and a valid check. */
function looksRawDeflate(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  return (cmf & 0x0f) !== 8 || ((cmf << 8) | flg) % 31 !== 0;
}
