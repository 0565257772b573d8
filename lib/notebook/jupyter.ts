/**
 * Sending rich output from a tslab cell to Jupyter.
 *
 * A figure needs several MIME types in ONE message (the plotly JSON for VS Code and
 * JupyterLab, HTML for classic Notebook and exported HTML, plain text for everything else).
 * tslab's public `display.*` sends one type per message, so this module calls tslab's
 * internal `lastWriteDisplayData(bundle, update)` (the writer of the cell now running).
 * After each message it waits one macrotask (`setImmediate`), so that the frontend draws outputs
 * as they come. Unpatched tslab 1.0.22 also LOST messages past 512 sent without a pause (zeromq.js
 * defers the 513th send and throws on the next); `npm install` patches that (patches/README.md).
 */
import { randomBytes } from "node:crypto";

/** A Jupyter MIME bundle: MIME type → content (`{ "text/plain": "…", "text/html": "…" }`). */
export type MimeBundle = Record<string, unknown>;

/** The message content Jupyter's `display_data` / `update_display_data` carry. */
export interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** Where messages go: tslab's writer in a kernel, a test's array in unit tests. */
export type DisplaySink = (message: DisplayMessage, update: boolean) => void;

let testSink: DisplaySink | null = null;

/** Redirects every display message to `sink` (unit tests); `null` restores tslab. */
export function setDisplaySink(sink: DisplaySink | null): void {
  testSink = sink;
}

/** A fresh id for an output that will be updated in place (`update_display_data`). */
export function newDisplayId(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Sends one MIME bundle as the current cell's output (or, with `update: true`, replaces the
 * output created earlier with the same `displayId`). Resolves after the message has left.
 */
export function sendDisplay(
  data: MimeBundle,
  { displayId, update = false }: { displayId?: string; update?: boolean } = {},
): Promise<void> {
  const sink = testSink ?? tslabWriter();
  const transient = displayId === undefined ? {} : { display_id: displayId };
  sink({ data, metadata: {}, transient }, update);
  return flush();
}

/**
 * Sends a bundle without waiting (what the `show.*` helpers use). A cell that sends hundreds
 * of outputs in a loop should `await show.flush()` after each, so the frontend keeps up (and an
 * unpatched tslab does not drop any).
 */
export function send(data: MimeBundle): void {
  void sendDisplay(data);
}

/** Resolves after pending output has left the kernel (one macrotask). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** tslab's writer for the running cell, from whichever copy of tslab the kernel loaded. */
function tslabWriter(): DisplaySink {
  const candidates = [localTslab(), ...loadedTslabs()];
  const writer = candidates.find((m) => typeof m?.lastWriteDisplayData === "function")?.lastWriteDisplayData;
  if (!writer) {
    throw new Error(
      "lib/notebook: no tslab kernel is running this code, so there is nowhere to display output. " +
        ("Use these helpers inside a Jupyter notebook with the " +
          "TypeScript (tslab) kernel; in plain Node, print text instead."),
    );
  }
  return writer;
}

interface TslabJupyter {
  lastWriteDisplayData: DisplaySink | null;
}

function localTslab(): TslabJupyter | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: absent outside a tslab kernel
    return require("tslab/dist/jupyter") as TslabJupyter;
  } catch {
    return undefined;
  }
}

/** A kernel started from another tslab install (e.g. a global one) keeps its writer in its own module copy. */
function loadedTslabs(): TslabJupyter[] {
  return Object.keys(require.cache)
    .filter((file) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file))
    .map((file) => require.cache[file]?.exports as TslabJupyter);
}
