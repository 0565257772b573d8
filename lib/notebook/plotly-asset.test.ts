import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { inlinePlotly, installPlotlyAsset, plotlyAssetUrlFrom, plotlyBundle } from "./plotly-asset";

const page = `<html><head><meta charset="utf-8">
<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>
<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML-full,Safe"> </script>
<script src="local.js"></script>
</head><body><div>figure</div></body></html>`;

test("inlinePlotly embeds the gzip'd bundle once, before </head>, and drops CDN scripts", () => {
  const html = inlinePlotly(page);
  assert.ok(!/src="https?:/.test(html), "no remote script left");
  assert.ok(html.includes('<script src="local.js"></script>'), "local scripts stay");
  const match = html.match(/<script type="text\/plain" id="bnlab-plotly-gzip-base64">([A-Za-z0-9+/=]+)<\/script>/);
  assert.ok(match, "bundle block present");
  assert.ok(html.indexOf(match[0]) < html.indexOf("</head>"));
  const unpacked = gunzipSync(Buffer.from(match[1], "base64"));
  assert.ok(unpacked.equals(readFileSync(plotlyBundle().path)), "the embedded bytes are plotly.js");
  assert.ok(html.includes("window.bnlabPlotly = (async function (id)"));
  assert.equal(inlinePlotly(html), html, "inlining twice changes nothing");
  assert.ok(html.length < 0.4 * statSync(plotlyBundle().path).size, `${html.length} characters`);
});

test("installPlotlyAsset copies the bundle into notebooks/assets/ once", () => {
  const root = mkdtempSync(join(tmpdir(), "bnlab-asset-"));
  try {
    const target = installPlotlyAsset(root);
    assert.equal(target, join(root, "notebooks", "assets", `plotly-${plotlyBundle().version}.js`));
    const first = statSync(target).mtimeMs;
    assert.equal(installPlotlyAsset(root), target);
    assert.equal(statSync(target).mtimeMs, first, "second call does not copy again");
    assert.equal(plotlyAssetUrlFrom(join(root, "notebooks"), root), `assets/plotly-${plotlyBundle().version}.js`);
    assert.equal(plotlyAssetUrlFrom(join(root, "mine"), root), `../notebooks/assets/plotly-${plotlyBundle().version}.js`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
