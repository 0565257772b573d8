/**
 * Browser twin of `node:path` (POSIX rules): the library builds file paths with it.
 * Relative paths resolve against the kernel's working folder, `/repo/<notebook folder>`.
 */
let cwd = "/repo/notebooks";

/** Sets the folder relative paths start from (the notebook's folder). */
export function setCwd(folder: string): void {
  cwd = folder;
}

export const sep = "/";

/** Collapses "." and ".." and repeated slashes. */
export function normalize(path: string): string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else if (part !== ".." || !absolute) parts.push(part);
  }
  const joined = parts.join("/");
  return absolute ? `/${joined}` : joined || ".";
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== "").join("/"));
}

export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

export function resolve(...parts: string[]): string {
  let path = cwd;
  for (const part of parts) path = isAbsolute(part) ? part : `${path}/${part}`;
  return normalize(path);
}

export function dirname(path: string): string {
  const normal = normalize(path);
  const at = normal.lastIndexOf("/");
  return at < 0 ? "." : at === 0 ? "/" : normal.slice(0, at);
}

export function basename(path: string, suffix = ""): string {
  const base = normalize(path).split("/").pop() ?? "";
  return suffix && base.endsWith(suffix) ? base.slice(0, -suffix.length) : base;
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

export default { sep, normalize, join, isAbsolute, resolve, dirname, basename, relative };
