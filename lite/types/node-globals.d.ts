// The Node globals the browser kernel provides (lite/worker/globals.ts), for the type checker of
// notebook cells; tslab's checker gets them from @types/node.
declare var console: {
  log(...data: any[]): void;
  info(...data: any[]): void;
  debug(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
  trace(...data: any[]): void;
  table(...data: any[]): void;
};
declare var process: {
  env: Record<string, string | undefined>;
  platform: string;
  argv: string[];
  versions: Record<string, string>;
  cwd(): string;
  stdout: { write(text: string): boolean };
  stderr: { write(text: string): boolean };
  cpuUsage(previous?: { user: number; system: number }): { user: number; system: number };
  memoryUsage(): { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  hrtime: { (previous?: [number, number]): [number, number]; bigint(): bigint };
  nextTick(callback: (...args: any[]) => void, ...args: any[]): void;
  exit(code?: number): never;
};
declare var performance: { now(): number; timeOrigin: number };
declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(handle?: number): void;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearInterval(handle?: number): void;
declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): number;
declare function clearImmediate(handle?: number): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare var global: typeof globalThis;
declare module "node:util" {
  export const inspect: { (value: unknown, options?: object): string; readonly custom: unique symbol };
  export function format(...args: unknown[]): string;
}
