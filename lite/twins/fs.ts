/**
 * Browser twin of the part of `node:fs` the library uses (`readFileSync`, `existsSync`), for
 * the kernel's web worker. Paths are those the library computes in Node, under the virtual
 * checkout root `/repo` (`/repo/data/mnist/…`, `/repo/dist/wasm/gemm.wasm`); `mount` maps
 * path prefixes to URLs of the site, and each read is a synchronous same-origin HTTP request
 * (allowed in workers), so `loadMnist()` keeps its synchronous API.
 * Only files shipped with the site are visible, not files saved in the browser's storage.
 */

/** Prefix → URL (ending in "/"), longest prefix first; or literal file contents. */
const mounts: [prefix: string, url: string][] = [];
const literals = new Map<string, Uint8Array>();
const exists = new Map<string, boolean>();

/** Serves `/repo/<prefix>…` from `url…` (e.g. "/repo/" → the site's files/ URL). */
export function mount(prefix: string, url: string): void {
  mounts.push([prefix, url]);
  mounts.sort((a, b) => b[0].length - a[0].length);
}

/** Makes `path` read as `text` (e.g. the checkout's package.json, which the library looks for). */
export function provide(path: string, text: string): void {
  literals.set(path, new TextEncoder().encode(text));
}

function urlOf(path: string): string | undefined {
  const found = mounts.find(([prefix]) => path.startsWith(prefix));
  return found && found[1] + path.slice(found[0].length).split("/").map(encodeURIComponent).join("/");
}

function request(method: "GET" | "HEAD", url: string): XMLHttpRequest {
  const xhr = new XMLHttpRequest();
  xhr.open(method, url, false);
  if (method === "GET") xhr.responseType = "arraybuffer";
  xhr.send();
  return xhr;
}

function missing(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT", path });
}

/** The file's bytes, or its text when an encoding is given. Throws an ENOENT error when absent. */
export function readFileSync(path: string, encoding?: string | { encoding?: string }): Uint8Array | string {
  let bytes = literals.get(path);
  if (!bytes) {
    const url = urlOf(path);
    const xhr = url === undefined ? undefined : request("GET", url);
    if (!xhr || xhr.status !== 200) throw missing(path);
    bytes = new Uint8Array(xhr.response as ArrayBuffer);
  }
  const wanted = typeof encoding === "string" ? encoding : encoding?.encoding;
  return wanted ? new TextDecoder().decode(bytes) : bytes;
}

/** True when the site serves `path` (one HEAD request, remembered). */
export function existsSync(path: string): boolean {
  if (literals.has(path)) return true;
  if (!exists.has(path)) {
    const url = urlOf(path);
    exists.set(path, url !== undefined && request("HEAD", url).status === 200);
  }
  return exists.get(path) as boolean;
}

function unavailable(name: string): never {
  throw new Error(`fs.${name} is not available in the browser kernel (the site's files are read-only).`);
}

export const copyFileSync = (): never => unavailable("copyFileSync");
export const mkdirSync = (): never => unavailable("mkdirSync");
export const statSync = (): never => unavailable("statSync");
export const writeFileSync = (): never => unavailable("writeFileSync");

export default { readFileSync, existsSync, copyFileSync, mkdirSync, statSync, writeFileSync };
