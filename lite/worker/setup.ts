/**
 * Runs first in the kernel's worker, before the library is evaluated (the library loads its
 * wasm multiply when imported). The page passes the site's URLs in the worker's own URL:
 *   kernel-worker.js?files=<URL of the site's files/>&location=<notebook folder, e.g. "notebooks">
 * The wasm file sits next to this script (…/static/wasm/gemm.wasm).
 */
import { mount, provide } from "../twins/fs";
import { setCwd } from "../twins/path";
import { installGlobals } from "./globals";

const query = new URLSearchParams(self.location.search);

/** The notebook's folder relative to the site's files ("" for the top folder). */
export const location = (query.get("location") ?? "").replace(/^\/+|\/+$/g, "");

/** The folder the library's relative paths start from, as the Node kernel's working directory. */
export const folder = location === "" ? "/repo" : `/repo/${location}`;

export const post = (message: object) => (self as unknown as { postMessage(m: object): void }).postMessage(message);
export const write = (name: "stdout" | "stderr", text: string) => post({ type: "stream", content: { name, text } });

mount("/repo/dist/wasm/", new URL("wasm/", self.location.href).href);
mount("/repo/", new URL(query.get("files") ?? "../files/", self.location.href).href);
provide("/repo/package.json", JSON.stringify({ name: "batchnorm-lab", main: "dist/lib/index.js" }));
setCwd(folder);
installGlobals(write, folder);
