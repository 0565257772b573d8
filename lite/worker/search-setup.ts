/**
 * Runs first in a search worker (search-worker.ts), before the library loads: the same view of the
 * site's files as the kernel's worker (setup.ts), from the same query:
 *   search-worker.js?files=<URL of the site's files/>&location=<notebook folder>
 * so the trials read data/ and the wasm multiply (…/static/wasm/gemm.wasm) as the kernel does.
 */
import { mount, provide } from "../twins/fs";
import { setCwd } from "../twins/path";

const query = new URLSearchParams(self.location.search);
const location = (query.get("location") ?? "").replace(/^\/+|\/+$/g, "");

mount("/repo/dist/wasm/", new URL("wasm/", self.location.href).href);
mount("/repo/", new URL(query.get("files") ?? "../files/", self.location.href).href);
provide("/repo/package.json", JSON.stringify({ name: "batchnorm-lab", main: "dist/lib/index.js" }));
setCwd(location === "" ? "/repo" : `/repo/${location}`);
