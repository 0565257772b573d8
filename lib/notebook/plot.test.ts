import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lineChart } from "../plots/charts";
import { sliderFigure } from "../plots/explorable";
import { setDisplaySink, type DisplayMessage } from "./jupyter";
import { describe, figureBundle, plot, plotlyMimeType } from "./plot";
import { plotlyBundle, projectRoot } from "./plotly-asset";

const figure = lineChart([{ name: "loss", y: [1 / 3, 2 / 3, 1e-9] }], {
  title: "A <b>figure</b>",
  xTitle: "step",
  yTitle: "loss",
});

/** Runs a figure's inline script as a browser would, with `globals` as its free variables. */
function runScript(script: string, globals: Record<string, unknown>): void {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the test runs the script the figure's HTML carries
  const run = new Function(...Object.keys(globals), script) as (...values: unknown[]) => void;
  run(...Object.values(globals));
}

test("figureBundle carries plotly JSON, HTML that draws it, and a one-line text", () => {
  const bundle = figureBundle(figure, { elementId: "plot-1", assetUrl: "assets/plotly-9.9.9.js" });
  const json = bundle[plotlyMimeType] as {
    data: { y: number[] }[];
    layout: { height: number; title: { text: string } };
  };
  assert.deepEqual(json.data[0].y, [0.333333, 0.666667, 1e-9]); // rounded to 6 significant digits
  assert.equal(json.layout.height, 420);
  const html = bundle["text/html"] as string;
  assert.match(html, /^<div id="plot-1"[^>]*height:420px/);
  assert.ok(html.includes('"assets/plotly-9.9.9.js"'));
  assert.ok(html.includes("Plotly.newPlot(div, { data: figure.data, layout: figure.layout, frames: figure.frames"));
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
  runScript(script, { window, document });
  assert.equal(drawn.length, 1);
  const [div, spec] = drawn[0] as [{ id: string }, { data: { name: string }[]; frames?: unknown }];
  assert.equal(div.id, "p");
  assert.equal(spec.data[0].name, "loss");
  assert.equal(spec.frames, undefined, "an ordinary figure has no frames");
});

/** Runs a figure's script on a page without Plotly; returns the URL it loads plotly.js from. */
function loaderUrl(assetUrl: string, page: { dataset: Record<string, string>; config?: object; href: string }): string {
  const html = figureBundle(figure, { elementId: "p", assetUrl })["text/html"] as string;
  const script = html.slice(html.indexOf("<script>") + 8, html.lastIndexOf("</script>"));
  let src = "";
  const element = {
    set src(url: string) {
      src = url;
    },
  };
  const document = {
    body: { dataset: page.dataset },
    head: { appendChild: () => undefined },
    createElement: () => element,
    getElementById: (id: string) =>
      id === "jupyter-config-data" && page.config ? { textContent: JSON.stringify(page.config) } : null,
  };
  const location = new URL(page.href);
  runScript(script, { window: {}, document, location });
  return src;
}

test("the figure script finds plotly.js under the server's files/ route, next to the notebook", () => {
  // classic Notebook, base URL /user/ana/, notebook in "course work/" beside notebooks/
  const classic = loaderUrl("../notebooks/assets/plotly-4.1.1.js", {
    dataset: { baseUrl: "/user/ana/", notebookPath: "course%20work/00-start-here.ipynb" },
    href: "http://127.0.0.1:8888/user/ana/notebooks/course%20work/00-start-here.ipynb",
  });
  assert.equal(classic, "http://127.0.0.1:8888/user/ana/files/notebooks/assets/plotly-4.1.1.js");
  // JupyterLab 4 (page config, path from the address bar), server started in notebooks/
  const lab = loaderUrl("assets/plotly-4.1.1.js", {
    dataset: {},
    config: { baseUrl: "/" },
    href: "http://localhost:8888/lab/tree/00-start-here.ipynb",
  });
  assert.equal(lab, "http://localhost:8888/files/assets/plotly-4.1.1.js");
  // Notebook 7, notebook in a subfolder
  const notebook7 = loaderUrl("../assets/plotly-4.1.1.js", {
    dataset: {},
    config: { baseUrl: "/" },
    href: "http://localhost:8888/notebooks/mine/01.ipynb",
  });
  assert.equal(notebook7, "http://localhost:8888/files/assets/plotly-4.1.1.js");
});

// a student's copy on a hub: the figure loads plotly.js from the copy, through the student's own server
test("plot() in a student's copy on a hub loads plotly.js from the copy", () => {
  // the only test of this file that calls plot(): the asset's URL is worked out once per kernel (process)
  const base = mkdtempSync(join(tmpdir(), "bnlab-plot-"));
  const copy = join(base, "homes", "ana", "batchnorm-lab"); // `npm run user-copy` with the shared install elsewhere
  mkdirSync(join(copy, "notebooks"), { recursive: true });
  symlinkSync(join(projectRoot(), "package.json"), join(copy, "package.json"));
  const cwd = process.cwd();
  const sent: DisplayMessage[] = [];
  try {
    process.chdir(join(copy, "notebooks")); // a kernel starts in its notebook's folder
    setDisplaySink((message) => sent.push(message));
    plot(figure);
  } finally {
    setDisplaySink(null);
    process.chdir(cwd);
  }
  try {
    const file = `plotly-${plotlyBundle().version}.js`;
    assert.ok(
      existsSync(join(copy, "notebooks", "assets", file)),
      "the kernel put the asset into the copy (writable here)",
    );
    const html = sent[0].data["text/html"] as string;
    assert.ok(html.includes(`"assets/${file}"`), "relative to the notebook's folder");
    const page = {
      dataset: {},
      config: { baseUrl: "/user/ana/" },
      href: "http://127.0.0.1:8000/user/ana/lab/tree/batchnorm-lab/notebooks/04-with-and-without-bn.ipynb",
    };
    assert.equal(
      loaderUrl(`assets/${file}`, page),
      `http://127.0.0.1:8000/user/ana/files/batchnorm-lab/notebooks/assets/${file}`,
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test("an explorable figure keeps its frames, sliders and buttons in the JSON and the HTML views", () => {
  const step = (a: number) => ({
    label: String(a),
    figure: lineChart([{ name: "y", y: [a, 2 * a] }], { title: `a = ${a}`, xTitle: "x", yTitle: "y" }),
  });
  const explorable = sliderFigure([step(1), step(2)], { sliderLabel: "a", play: true });
  const bundle = figureBundle(explorable, { elementId: "s" });
  const json = bundle[plotlyMimeType] as {
    frames: { name: string }[];
    layout: { sliders: unknown[]; updatemenus: unknown[] };
  };
  assert.deepEqual(
    json.frames.map((f) => f.name),
    ["1", "2"],
  );
  assert.equal(json.layout.sliders.length, 1);
  assert.equal(json.layout.updatemenus.length, 1);
  const html = bundle["text/html"] as string;
  const script = html.slice(html.indexOf("<script>") + 8, html.lastIndexOf("</script>"));
  const drawn: { frames: { name: string }[]; layout: { sliders: unknown[] } }[] = [];
  runScript(script, {
    window: { Plotly: { newPlot: (_div: unknown, spec: (typeof drawn)[0]) => drawn.push(spec) } },
    document: { getElementById: (id: string) => ({ id }) },
  });
  assert.deepEqual(
    drawn[0].frames.map((f) => f.name),
    ["1", "2"],
    "newPlot receives the frames",
  );
  assert.equal(drawn[0].layout.sliders.length, 1);
  assert.equal(bundle["text/plain"], 'Figure "a = 1": 1 trace (scatter), a slider of 2 steps');
});

test("describe counts traces by type", () => {
  assert.equal(
    describe({
      data: [{ type: "heatmap", name: "a" }, { type: "scatter" }, { type: "scatter" }],
      layout: { title: { text: "T" } },
    }),
    'Figure "T": 3 traces (heatmap, scatter ×2)',
  );
});
