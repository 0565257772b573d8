import { test } from "node:test";
import assert from "node:assert/strict";
import { type DisplayMessage, setDisplaySink } from "./jupyter";
import { statusLine, tableBundle } from "./table";

test("tableBundle: one column per key, numbers to 4 significant digits, HTML escaped", () => {
  const bundle = tableBundle(
    [
      { "batch size": 8, accuracy: 0.912345 },
      { "batch size": 256, accuracy: 0.97, note: "<best>" },
    ],
    { caption: "Accuracy" },
  );
  const html = bundle["text/html"] as string;
  assert.ok(html.includes("<tr><th>batch size</th><th>accuracy</th><th>note</th></tr>"));
  assert.ok(html.includes("<tr><td>8</td><td>0.9123</td><td></td></tr>"));
  assert.ok(html.includes("<td>&lt;best&gt;</td>"));
  assert.equal(
    bundle["text/plain"],
    ["Accuracy", "batch size  accuracy    note", "         8    0.9123        ", "       256    0.9700  <best>"].join(
      "\n",
    ),
  );
});

test("statusLine shows its first text and then replaces it under the same display id", async () => {
  const sent: [DisplayMessage, boolean][] = [];
  setDisplaySink((message, update) => sent.push([message, update]));
  try {
    const status = statusLine();
    await status.set("run 1 / 2");
    await status.set("run 2 / 2");
  } finally {
    setDisplaySink(null);
  }
  assert.deepEqual(
    sent.map(([m, update]) => [m.data["text/plain"], update]),
    [
      ["run 1 / 2", false],
      ["run 2 / 2", true],
    ],
  );
  assert.equal(sent[0][0].transient.display_id, sent[1][0].transient.display_id);
});
