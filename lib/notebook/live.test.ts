import { test } from "node:test";
import assert from "node:assert/strict";
import { type DisplayMessage, setDisplaySink } from "./jupyter";
import { liveTraining, progressLine } from "./live";
import { plotlyMimeType } from "./plot";

async function simulate(steps: number, stepMs: number, maxFigureUpdatesPerSecond?: number) {
  const sent: { message: DisplayMessage; update: boolean }[] = [];
  setDisplaySink((message, update) => sent.push({ message, update }));
  let now = 0;
  const live = liveTraining({ clock: () => now, maxFigureUpdatesPerSecond });
  const history = { loss: [] as number[], trainAccuracy: [] as number[] };
  try {
    for (let step = 1; step <= steps; step++) {
      now += stepMs;
      history.loss.push(1 / step);
      await live.onStep({ step, epoch: Math.floor((step - 1) / 10), totalSteps: steps, loss: 1 / step, history });
      if (step % 10 === 0) {
        history.trainAccuracy.push(step / steps);
        await live.onEpoch({ step, epoch: step / 10 - 1, totalSteps: steps, loss: 1 / step, history });
      }
    }
    await live.finish(history);
  } finally {
    setDisplaySink(null);
  }
  return sent;
}

test("liveTraining creates two outputs, then only updates them in place under the same ids", async () => {
  const sent = await simulate(30, 50);
  const ids = new Set(sent.map((s) => s.message.transient.display_id));
  assert.equal(ids.size, 2);
  assert.deepEqual(
    sent.slice(0, 2).map((s) => s.update),
    [false, false],
  );
  assert.ok(sent.slice(2).every((s) => s.update));
});

test(
  "liveTraining redraws the line at most 10 times a second " +
    "and the figure once every 2 s, and always the final state",
  async () => {
    const sent = await simulate(1000, 4); // 1000 steps in 4 s of fake time
    const figures = sent.filter((s) => plotlyMimeType in s.message.data);
    // first + one per 2 s + last step, last epoch, finish
    assert.ok(figures.length >= 2 && figures.length <= 1 + 2 + 3, `${figures.length} figure redraws`);
    const last = figures[figures.length - 1].message.data[plotlyMimeType] as { data: { y: number[] }[] };
    assert.equal(last.data[0].y.length, 1000);
    const lines = sent.filter((s) => String(s.message.data["text/html"]).includes("bnlab-progress"));
    // 10 per second + the three forced
    assert.ok(lines.length >= 40 && lines.length <= 40 + 3, `${lines.length} line redraws`);
    const lastLine = lines[lines.length - 1].message.data["text/plain"] as string;
    assert.match(lastLine, /^step 1000 \/ 1000 \(100%\)/);
    assert.match(lastLine, /done$/);
  },
);

test("with slow steps every step is shown; an epoch end at the same instant waits for the next step", async () => {
  const sent = await simulate(20, 200, 10);
  // 20 steps + the last epoch (forced) + finish, two outputs each; each figure update follows a placeholder
  assert.equal(sent.length, 2 * (20 + 1 + 1) + (20 + 1 + 1 - 1));
});

test("a figure update first replaces the plotly view by a placeholder, so JupyterLab draws the new one", async () => {
  const sent = await simulate(5, 200, 10);
  const figureId = sent[1].message.transient.display_id;
  const figure = sent.filter((s) => s.message.transient.display_id === figureId);
  assert.ok(plotlyMimeType in figure[0].message.data && !figure[0].update, "created once with the plotly view");
  for (let i = 1; i < figure.length; i += 2) {
    assert.ok(figure[i].update && figure[i + 1].update);
    const placeholder = Object.keys(figure[i].message.data).sort();
    assert.deepEqual(placeholder, ["text/html", "text/plain"], "the placeholder has no plotly view");
    assert.match(figure[i].message.data["text/html"] as string, /bnlab-plot-placeholder[^>]*height:420px/);
    assert.ok(plotlyMimeType in figure[i + 1].message.data, "then the full figure");
  }
  assert.equal(figure.length % 2, 1);
});

test("progressLine waits for two timed steps before estimating the time left", () => {
  assert.match(
    progressLine({ step: 1, epoch: 0, totalSteps: 100, loss: 1, history: { loss: [] } }, 0),
    /estimating the time left$/,
  );
});

test("progressLine reports step, epoch, loss, elapsed time and time left", () => {
  const line = progressLine({ step: 11, epoch: 2, totalSteps: 101, loss: 0.123456, history: { loss: [] } }, 5, 10);
  assert.equal(line, "step 11 / 101 (11%) · epoch 3 / 10 · loss 0.1235 · 5.0 s elapsed · about 45.0 s left");
});
