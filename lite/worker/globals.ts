/**
 * The Node globals a notebook may use, in the kernel's web worker: `console` (Node's formatting,
 * `console.table` included, sent as Jupyter streams), a small `process` (cwd, env, stdout/stderr.write, hrtime, cpuUsage,
 * memoryUsage, nextTick) and `setImmediate`.
 * Differences from Node, said where they show: `process.cpuUsage()` counts the worker's elapsed
 * (wall-clock) time since it started, because a browser does not expose CPU time.
 */
import { format } from "../twins/util";
import { formatTable } from "./table";

type Write = (name: "stdout" | "stderr", text: string) => void;

export function installGlobals(write: Write, cwd: string): void {
  const out = (...args: unknown[]) => write("stdout", `${format(...args)}\n`);
  const err = (...args: unknown[]) => write("stderr", `${format(...args)}\n`);
  const table = (data: unknown) => write("stdout", `${formatTable(data)}\n`);
  Object.assign(console, { log: out, info: out, debug: out, error: err, warn: err, trace: err, table });
  const started = performance.now();
  const micros = () => Math.round((performance.now() - started) * 1000);
  const process = {
    env: {} as Record<string, string>,
    platform: "browser",
    browser: true, // as npm's \`process\` shim: TypeScript then does not take the worker for Node
    argv: [] as string[],
    versions: {} as Record<string, string>,
    cwd: () => cwd,
    stdout: { write: (text: string) => (write("stdout", String(text)), true) },
    stderr: { write: (text: string) => (write("stderr", String(text)), true) },
    cpuUsage: () => ({ user: micros(), system: 0 }),
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
    hrtime: Object.assign(
      (previous?: [number, number]) => {
        const nanos = BigInt(Math.round(performance.now() * 1e6));
        const now: [number, number] = [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
        return previous ? [now[0] - previous[0], now[1] - previous[1]] : now;
      },
      { bigint: () => BigInt(Math.round(performance.now() * 1e6)) },
    ),
    nextTick: (callback: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => callback(...args)),
    emitWarning: (warning: string) => err(`Warning: ${warning}`),
    exit: () => {
      throw new Error("process.exit() is not available in the browser kernel.");
    },
  };
  Object.assign(globalThis, {
    process,
    global: globalThis,
    setImmediate: (callback: (...args: unknown[]) => void, ...args: unknown[]) => setTimeout(callback, 0, ...args),
    clearImmediate: (handle: number) => clearTimeout(handle),
  });
  self.addEventListener("unhandledrejection", (event) => err("Unhandled promise rejection:", event.reason));
  self.addEventListener("error", (event) => err(event.error ?? event.message));
}
