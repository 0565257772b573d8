/**
 * The Web Worker of `runSearchParallel` in the browser (lite/twins/search-parallel.ts starts it):
 * bundled as search-worker.js next to kernel-worker.js, with the library but without the
 * TypeScript compiler. Protocol: search-handler.ts.
 */
import "./search-setup"; // first: the site's files must be mounted before the library loads
import { searchWorkerHandler } from "./search-handler";
import type { SearchWorkerRequest } from "../twins/search-parallel";

const handle = searchWorkerHandler((message) => self.postMessage(message));
self.onmessage = (event: MessageEvent<SearchWorkerRequest>) => handle(event.data);
