/** Browser twin of `node:zlib`'s synchronous gzip, with fflate (the library reads gzipped MNIST files). */
import { gunzipSync as gunzip, gzipSync as gzip } from "fflate";

export function gunzipSync(bytes: Uint8Array): Uint8Array {
  return gunzip(bytes);
}

export function gzipSync(bytes: Uint8Array, options: { level?: number } = {}): Uint8Array {
  return gzip(bytes, { level: (options.level ?? 6) as 6 });
}

export default { gunzipSync, gzipSync };
