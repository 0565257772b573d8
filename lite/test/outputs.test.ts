// Unit tests of the page's output queue (lite/src/outputs.ts): which of the worker's messages reach
// JupyterLab when display updates pile up. Run: npm run test:lite:unit.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { coalesce, OutputQueue, type WorkerMessage } from "../src/outputs";

const PLOTLY = "application/vnd.plotly.v1+json";
const update = (id: string, data: Record<string, unknown>): WorkerMessage => ({
  type: "update_display_data",
  content: { data, metadata: {}, transient: { display_id: id } },
});
const line = (id: string, text: string) => update(id, { "text/plain": text });
const figure = (id: string, n: number) => update(id, { [PLOTLY]: { data: [n] }, "text/plain": `figure ${n}` });
const placeholder = (id: string, n: number) => update(id, { "text/html": "<div></div>", "text/plain": `figure ${n}` });
const stream = (text: string): WorkerMessage => ({ type: "stream", content: { name: "stdout", text } });
const texts = (messages: WorkerMessage[]) =>
  messages.map((m) =>
    m.type === "stream" ? `stream ${String(m.content.text)}` : `${m.type} ${JSON.stringify(m.content.data ?? m.id)}`,
  );

describe("coalesce", () => {
  it("keeps only the last update of each display id, in the order the messages came", () => {
    const messages = [
      line("p", "step 1"),
      stream("a"),
      line("q", "other 1"),
      line("p", "step 2"),
      line("q", "other 2"),
    ];
    assert.deepEqual(coalesce(messages), [messages[1], messages[3], messages[4]]);
  });

  it("keeps every message that is not an update with a display id", () => {
    const messages: WorkerMessage[] = [
      { type: "display_data", content: { data: { "text/plain": "x" }, transient: { display_id: "p" } } },
      stream("a"),
      { type: "error", content: { ename: "Error" } },
      { type: "update_display_data", content: { data: { "text/plain": "no id" }, transient: {} } },
      { type: "reply", id: 3, content: { status: "ok" } },
    ];
    assert.deepEqual(coalesce(messages), messages);
  });

  it("keeps the placeholder before the last figure of an id (jupyterlab-plotly draws a new renderer only)", () => {
    const messages = [placeholder("f", 1), figure("f", 1), line("p", "step"), placeholder("f", 2), figure("f", 2)];
    assert.deepEqual(coalesce(messages), [messages[2], messages[3], messages[4]]);
  });

  it("keeps a figure whose placeholder was handled before, and a last placeholder alone", () => {
    assert.deepEqual(coalesce([figure("f", 1)]), [figure("f", 1)]);
    const messages = [placeholder("f", 1), figure("f", 1), placeholder("f", 2)];
    assert.deepEqual(coalesce(messages), [messages[2]]);
  });

  it("keeps the latest placeholder before the last figure when updates arrive out of pairs", () => {
    const messages = [placeholder("f", 1), figure("f", 1), placeholder("f", 2), figure("f", 2), figure("f", 3)];
    assert.deepEqual(texts(coalesce(messages)), texts([messages[2], messages[4]]));
  });
});

describe("OutputQueue", () => {
  it("hands over coalesced messages after the delay, and everything at once with the reply", async () => {
    const handled: WorkerMessage[] = [];
    const queue = new OutputQueue((m) => handled.push(m), 20);
    queue.push(line("p", "step 1"));
    queue.push(line("p", "step 2"));
    assert.equal(handled.length, 0, "nothing before the delay");
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(texts(handled), texts([line("p", "step 2")]));
    queue.push(line("p", "step 3"));
    queue.push(stream("done"));
    const reply: WorkerMessage = { type: "reply", id: 7, content: { status: "ok" } };
    queue.push(reply);
    assert.deepEqual(handled.slice(1), [line("p", "step 3"), stream("done"), reply], "the reply drains, outputs first");
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(handled.length, 4, "the drained timer does not hand anything over twice");
  });
});
