import { test } from "node:test";
import assert from "node:assert/strict";
import { lineChart } from "../plots/charts";
import { describe, figureBundle, plotlyMimeType } from "./plot";

const figure = lineChart([{ name: "loss", y: [1 / 3, 2 / 3, 1e-9] }], { title: "A <b>figure</b>", xTitle: "step", yTitle: "loss" });

test("figureBundle carries plotly JSON, HTML that draws it, and a one-line text", () => {
  const bundle = figureBundle(figure, { elementId: "plot-1", assetUrl: "assets/plotly-9.9.9.js" });
  const json = bundle[plotlyMimeType] as { data: { y: number[] }[]; layout: { height: number; title: { text: string } } };
  assert.deepEqual(json.data[0].y, [0.333333, 0.666667, 1e-9]); // rounded to 6 significant digits
  assert.equal(json.layout.height, 420);
  const html = bundle["text/html"] as string;
  assert.match(html, /^<div id="plot-1"[^>]*height:420px/);
  assert.ok(html.includes('"assets/plotly-9.9.9.js"'));
  assert.ok(html.includes("Plotly.newPlot(div, figure.data, figure.layout"));
  assert.ok(!html.includes("<b>"), "'<' inside the figure JSON is escaped so it cannot close the script");
  assert.ok(html.includes("\\u003cb>figure"));
  assert.equal(bundle["text/plain"], 'Figure "A <b>figure</b>": 1 trace (scatter)');
});

test("figureBundle's HTML loads nothing from another host", () => {
  const html = figureBundle(figure)["text/html"] as string;
  assert.ok(!/https?:\/\//.test(html));
  assert.ok(html.includes('"files/"'));
});

test("the figure script runs and draws with an already loaded Plotly", () => {
  const html = figureBundle(figure, { elementId: "p" })["text/html"] as string;
  const script = html.slice(html.indexOf("<script>") + 8, html.lastIndexOf("</script>"));
  const drawn: unknown[] = [];
  const window = { Plotly: { newPlot: (...args: unknown[]) => drawn.push(args) } };
  const document = { getElementById: (id: string) => ({ id }) };
  new Function("window", "document", script)(window, document);
  assert.equal(drawn.length, 1);
  const [div, data] = drawn[0] as [{ id: string }, { name: string }[]];
  assert.equal(div.id, "p");
  assert.equal(data[0].name, "loss");
});

test("describe counts traces by type", () => {
  assert.equal(describe({ data: [{ type: "heatmap", name: "a" }, { type: "scatter" }, { type: "scatter" }], layout: { title: { text: "T" } } }), 'Figure "T": 3 traces (heatmap, scatter ×2)');
});
