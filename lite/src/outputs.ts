/**
 * The page's queue of the kernel worker's messages. Each `update_display_data` makes JupyterLab
 * re-render an output (a live figure: a full plotly draw, 0.2–1 s under load), and the worker does
 * not wait for the page: when it sends updates faster than the page draws them, they pile up, the
 * cell's reply waits behind them, and the page's main thread takes the CPU the kernel needs.
 * Measured (scripts/lite/profile.mjs, notebook 07 with the live figure redrawn 10 times a second):
 * Run All 104.8 s against 58.4 s at 0.5 a second, the main thread busy 103.7 s of 105.4 s.
 *
 * So the page drains the queue at most every `delayMs` (at once when the reply comes), and an
 * update is dropped when a later update of the same display id in the queue replaces it: only the
 * last state of each output is drawn. One exception keeps live figures drawn: jupyterlab-plotly
 * draws an output once and ignores later updates, so a figure update is preceded by a placeholder
 * without the plotly MIME type (lib/notebook/plot.ts, `sendFigure`); the last update of an id that
 * carries the plotly type keeps the last update before it that does not.
 */

/** A message from the kernel's worker (lite/worker/main.ts). */
export interface WorkerMessage {
  type: string;
  id?: number;
  content: Record<string, unknown>;
}

const PLOTLY = "application/vnd.plotly.v1+json";

function displayIdOf(message: WorkerMessage): string | undefined {
  if (message.type !== "update_display_data") return undefined;
  return (message.content.transient as { display_id?: string } | undefined)?.display_id;
}

function isFigure(message: WorkerMessage): boolean {
  return PLOTLY in ((message.content.data as Record<string, unknown> | undefined) ?? {});
}

/**
 * The messages to handle, in their order, without the updates that later ones replace (see the file
 * comment). Every message that is not an `update_display_data` with a display id is kept.
 */
export function coalesce(messages: readonly WorkerMessage[]): WorkerMessage[] {
  const keep = new Set<number>();
  const seen = new Set<string>();
  for (let i = messages.length - 1; i >= 0; i--) {
    const id = displayIdOf(messages[i]);
    if (id === undefined) keep.add(i);
    else if (!seen.has(id)) {
      seen.add(id);
      keep.add(i);
      if (isFigure(messages[i])) {
        let before = i - 1;
        while (before >= 0 && (displayIdOf(messages[before]) !== id || isFigure(messages[before]))) before--;
        if (before >= 0) keep.add(before);
      }
    }
  }
  return messages.filter((_, i) => keep.has(i));
}

/** Queues the worker's messages and hands them to `handle`, coalesced, at most every `delayMs` and at each reply. */
export class OutputQueue {
  private queued: WorkerMessage[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly handle: (message: WorkerMessage) => void,
    private readonly delayMs = 100,
  ) {}

  push(message: WorkerMessage): void {
    this.queued.push(message);
    if (message.type === "reply") this.drain();
    else this.timer ??= setTimeout(() => this.drain(), this.delayMs);
  }

  /** Handles everything queued now. */
  drain(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const messages = coalesce(this.queued);
    this.queued = [];
    messages.forEach(this.handle);
  }
}
