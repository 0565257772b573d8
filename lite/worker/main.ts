/**
 * The TypeScript kernel's web worker: it type-checks each cell (compiler.ts), runs it with the
 * earlier cells' names in scope (runtime.ts), and posts Jupyter messages back to the kernel
 * object on the page (lite/src/kernel.ts). Protocol, page → worker:
 *   { type: "init", id }       (the URLs come in the worker's own URL, see setup.ts)
 *   { type: "execute", id, code }
 * worker → page: { type: "reply", id, content } answers a request; { type: "stream" | "display_data"
 * | "update_display_data" | "execute_result" | "error", content } are outputs of the running cell.
 */
import { folder, location, post, write } from "./setup"; // first: before the library loads
import * as lab from "../../lib/index";
import * as show from "../../lib/notebook/index";
import * as mathjs from "mathjs";
import { setKernelSink } from "../twins/notebook-jupyter";
import { format } from "../twins/util";
import { CellCompiler } from "./compiler";
import { CellScope, makeRunnable } from "./runtime";

interface InitRequest {
  type: "init";
  id: number;
}
interface ExecuteRequest {
  type: "execute";
  id: number;
  code: string;
}

let compiler: CellCompiler | undefined;
const scope = new CellScope(); // after setup and the library: their globals count as the worker's own
let executionCount = 0;

/** What `import … from "…"` can load in a cell, by the specifier a notebook in `location` uses. */
function moduleTable(): Record<string, unknown> {
  const fromRoot =
    location === ""
      ? "."
      : location
          .split("/")
          .map(() => "..")
          .join("/");
  return {
    [fromRoot]: lab,
    [`${fromRoot}/dist/lib/index`]: lab,
    [`${fromRoot}/dist/lib/notebook`]: show,
    [`${fromRoot}/dist/lib/notebook/index`]: show,
    mathjs,
  };
}

/** Loads the type declarations the checker needs (types.json, next to this script). */
async function init(): Promise<object> {
  setKernelSink((message, update) => post({ type: update ? "update_display_data" : "display_data", content: message }));
  const types = (await (await fetch(new URL("types.json", self.location.href))).json()) as Record<string, string>;
  compiler = new CellCompiler(types, folder);
  const modules = moduleTable();
  requireModule = (specifier) => {
    if (specifier in modules) return modules[specifier];
    throw new Error(
      `Cannot find module '${specifier}': the browser kernel provides ${Object.keys(modules)
        .map((m) => `"${m}"`)
        .join(", ")}.`,
    );
  };
  return { kernel: lab.kernels.name };
}

let requireModule: (specifier: string) => unknown = () => undefined;
const modules = {
  require: (specifier: string) => requireModule(specifier),
  defaultOf: (module: unknown) =>
    (module as { __esModule?: boolean; default?: unknown })?.__esModule
      ? (module as { default: unknown }).default
      : module,
};

async function execute({ code }: ExecuteRequest): Promise<object> {
  if (!compiler) throw new Error("the kernel is not initialized");
  const { errors, javascript } = compiler.compile(code);
  if (errors.length > 0) return fail("TypeScriptError", errors[0], errors);
  executionCount += 1;
  try {
    const value = await scope.run(makeRunnable(javascript), modules, `cell-${executionCount}.js`);
    compiler.commit();
    if (value !== undefined && value !== null) write("stdout", `${format(value)}\n`);
    return { status: "ok", user_expressions: {} };
  } catch (error) {
    // As in tslab: values assigned before the error stay on the scope, but later cells are
    // type-checked without this cell's declarations.
    const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
    const stack = error instanceof Error && error.stack ? error.stack : `${name}: ${message}`;
    return fail(name, message, stack.split("\n"));
  }
}

/** Publishes an error output and returns the matching reply content. */
function fail(ename: string, evalue: string, traceback: string[]): object {
  const content = { ename, evalue, traceback };
  post({ type: "error", content });
  return { status: "error", ...content };
}

self.onmessage = async (event: MessageEvent<InitRequest | ExecuteRequest>) => {
  const request = event.data;
  try {
    const content = request.type === "init" ? await init() : await execute(request);
    post({ type: "reply", id: request.id, content });
  } catch (error) {
    post({
      type: "reply",
      id: request.id,
      content: {
        status: "error",
        ename: "KernelError",
        evalue: String(error),
        traceback: [String((error as Error)?.stack ?? error)],
      },
    });
  }
};
