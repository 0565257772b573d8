/**
 * The TypeScript kernel of batchnorm-lab's JupyterLite site, on JupyterLite's kernel extension
 * points: a plugin registers the kernel spec "tslab" (the name the notebooks' metadata carries)
 * with `IKernelSpecs`, and each kernel is a `BaseKernel` that forwards execute requests to its
 * own web worker (lite/worker/main.ts) and turns the worker's messages into Jupyter messages.
 */
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import { BaseKernel, IKernelSpecs, type IKernel } from "@jupyterlite/services";
import type { KernelMessage } from "@jupyterlab/services";
import { OutputQueue, type WorkerMessage } from "./outputs";

type Content = Record<string, unknown>;

/** One running kernel: a web worker that type-checks and runs the cells. */
class TypeScriptKernel extends BaseKernel {
  private readonly worker: Worker;
  private readonly replies = new Map<number, (content: Content) => void>();
  private nextId = 0;
  private readonly started: Promise<Content>;
  /** The worker's messages, coalesced so that the page draws only the last state of each output (outputs.ts). */
  private readonly queue = new OutputQueue((message) => this.receive(message));

  constructor(options: IKernel.IOptions) {
    super(options);
    const files = URLExt.join(PageConfig.getBaseUrl(), "files/");
    const query = `?files=${encodeURIComponent(files)}&location=${encodeURIComponent(options.location)}`;
    this.worker = new Worker(workerUrl() + query);
    this.worker.onmessage = (event: MessageEvent<WorkerMessage>) => this.queue.push(event.data);
    this.started = this.request({ type: "init" });
  }

  override get ready(): Promise<void> {
    return this.started.then(() => undefined);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.worker.terminate();
    super.dispose();
  }

  async kernelInfoRequest(): Promise<KernelMessage.IInfoReplyMsg["content"]> {
    return {
      implementation: "batchnorm-lab-lite",
      implementation_version: "0.1.0",
      language_info: {
        name: "typescript",
        version: "5.9",
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { name: "typescript" },
      },
      protocol_version: "5.3",
      status: "ok",
      banner: "TypeScript in the browser (batchnorm-lab): each cell is type-checked and run in a web worker.",
      help_links: [],
    };
  }

  async executeRequest(
    content: KernelMessage.IExecuteRequestMsg["content"],
  ): Promise<KernelMessage.IExecuteReplyMsg["content"]> {
    const reply = await this.request({ type: "execute", code: content.code });
    return { ...reply, execution_count: this.executionCount } as KernelMessage.IExecuteReplyMsg["content"];
  }

  async completeRequest(
    content: KernelMessage.ICompleteRequestMsg["content"],
  ): Promise<KernelMessage.ICompleteReplyMsg["content"]> {
    return {
      matches: [],
      cursor_start: content.cursor_pos,
      cursor_end: content.cursor_pos,
      metadata: {},
      status: "ok",
    };
  }

  async inspectRequest(): Promise<KernelMessage.IInspectReplyMsg["content"]> {
    return { status: "ok", found: false, data: {}, metadata: {} };
  }

  async isCompleteRequest(): Promise<KernelMessage.IIsCompleteReplyMsg["content"]> {
    return { status: "unknown" };
  }

  async commInfoRequest(): Promise<KernelMessage.ICommInfoReplyMsg["content"]> {
    return { status: "ok", comms: {} };
  }

  inputReply(): void {}
  async commOpen(): Promise<void> {}
  async commMsg(): Promise<void> {}
  async commClose(): Promise<void> {}

  private request(message: Content): Promise<Content> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.worker.postMessage({ ...message, id });
    });
  }

  /** A reply resolves its request; every other message is an output of the running cell. */
  private receive({ type, id, content }: WorkerMessage): void {
    if (type === "reply" && id !== undefined) {
      this.replies.get(id)?.(content);
      this.replies.delete(id);
    } else if (type === "stream") this.stream(content as never);
    else if (type === "display_data") this.displayData(content as never);
    else if (type === "update_display_data") this.updateDisplayData(content as never);
    else if (type === "error") this.publishExecuteError(content as never);
  }
}

/** The worker script, shipped in this extension's static folder. */
function workerUrl(): string {
  return URLExt.join(
    PageConfig.getOption("fullLabextensionsUrl"),
    "@batchnorm-lab/lite-kernel/static/kernel-worker.js",
  );
}

const plugin = {
  id: "@batchnorm-lab/lite-kernel:kernel",
  autoStart: true,
  requires: [IKernelSpecs],
  activate: (_app: unknown, kernelspecs: { register(options: object): void }) => {
    kernelspecs.register({
      spec: {
        name: "tslab",
        display_name: "TypeScript",
        language: "typescript",
        argv: [],
        resources: {},
      },
      create: async (options: IKernel.IOptions) => new TypeScriptKernel(options),
    });
  },
};

export default [plugin];
