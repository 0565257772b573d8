/**
 * Browser twin of lib/notebook/jupyter.ts: the same API (`sendDisplay`, `send`, `flush`,
 * `newDisplayId`, `setDisplaySink`), but messages go to the JupyterLite kernel that runs this
 * web worker (set by the worker with `setKernelSink`) instead of tslab. The MIME bundles are
 * built by the unchanged display helpers, so they are the same as under tslab.
 */
import { randomBytes } from "./crypto";

/** A Jupyter MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, unknown>;

/** The content of `display_data` / `update_display_data`. */
export interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** Where messages go. */
export type DisplaySink = (message: DisplayMessage, update: boolean) => void;

let testSink: DisplaySink | null = null;
let kernelSink: DisplaySink | null = null;

/** Redirects every display message to `sink`; `null` restores the kernel. */
export function setDisplaySink(sink: DisplaySink | null): void {
  testSink = sink;
}

/** Called once by the kernel's worker: where display messages go. */
export function setKernelSink(sink: DisplaySink): void {
  kernelSink = sink;
}

export function newDisplayId(): string {
  return randomBytes(8).toString("hex");
}

export function sendDisplay(
  data: MimeBundle,
  { displayId, update = false }: { displayId?: string; update?: boolean } = {},
): Promise<void> {
  const sink = testSink ?? kernelSink;
  if (!sink) throw new Error("lib/notebook: no kernel is running this code, so there is nowhere to display output.");
  sink({ data, metadata: {}, transient: displayId === undefined ? {} : { display_id: displayId } }, update);
  return flush();
}

export function send(data: MimeBundle): void {
  void sendDisplay(data);
}

const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

/** Resolves after one macrotask (a MessageChannel message: unlike setTimeout, never clamped to 4 ms). */
export function flush(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}
