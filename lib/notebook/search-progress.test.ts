import { test } from "node:test";
import assert from "node:assert/strict";
import { runSearch } from "../search/run";
import type { Trial } from "../search/space";
import { type DisplayMessage, setDisplaySink } from "./jupyter";
import { searchProgress, searchProgressLine } from "./search-progress";

test("searchProgressLine names the search, the trials done, the seconds and the last trial", () => {
  assert.equal(searchProgressLine("grid search", { id: 6, status: "stopped" }, 7, 16, 1.25), "grid search: 7/16 trials · 1.3 s · last: trial 6 stopped");
});

test("searchProgress shows one line per search, then rewrites it after each trial of runSearch", async () => {
  const sent: [DisplayMessage, boolean][] = [];
  setDisplaySink((message, update) => sent.push([message, update]));
  let now = 1000; // fake milliseconds: each trial takes 500
  const trials: Trial[] = [0, 1, 2].map((id) => ({ id, seed: id, round: 0, config: { learningRate: 10 ** -id } }));
  try {
    const onResult = searchProgress("random search", { clock: () => now });
    await runSearch(trials, (config) => {
      now += 500;
      if (config.learningRate === 0.1) throw new Error("diverged"); // the second trial fails
      return { validationAccuracy: 0.9 };
    }, { onResult });
  } finally {
    setDisplaySink(null);
  }
  assert.deepEqual(sent.map(([message, update]) => [message.data["text/plain"], update]), [
    ["random search: 1/3 trials · 0.5 s · last: trial 0 ok", false],
    ["random search: 2/3 trials · 1.0 s · last: trial 1 failed", true],
    ["random search: 3/3 trials · 1.5 s · last: trial 2 ok", true],
  ]);
  assert.equal(new Set(sent.map(([message]) => message.transient.display_id)).size, 1);
});
