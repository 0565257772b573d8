import { test } from "node:test";
import assert from "node:assert/strict";
import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  inlinePlotly,
  installPlotlyAsset,
  plotlyAssetRoot,
  plotlyAssetUrlFrom,
  plotlyBundle,
  projectRoot,
} from "./plotly-asset";

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
    assert.equal(
      plotlyAssetUrlFrom(join(root, "mine"), root),
      `../notebooks/assets/plotly-${plotlyBundle().version}.js`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** A user copy as `npm run user-copy` makes it (JupyterHub): its own notebooks/, package.json a link into this
 * install. */
function userCopy(): { base: string; copy: string } {
  const base = mkdtempSync(join(tmpdir(), "bnlab-copy-"));
  const copy = join(base, "home", "batchnorm-lab");
  mkdirSync(join(copy, "notebooks"), { recursive: true });
  symlinkSync(join(projectRoot(), "package.json"), join(copy, "package.json"));
  return { base, copy };
}

test("in a user copy the asset lives in the copy's own notebooks/assets/, never in the shared install", () => {
  const { base, copy } = userCopy();
  const file = `plotly-${plotlyBundle().version}.js`;
  try {
    assert.equal(
      plotlyAssetRoot(join(copy, "notebooks")),
      copy,
      "found through the copy's linked package.json, links not resolved",
    );
    assert.equal(plotlyAssetRoot(join(copy, "notebooks", "mine")), copy);
    assert.equal(
      plotlyAssetUrlFrom(join(copy, "notebooks")),
      `assets/${file}`,
      "inside the user's server: next to the notebook",
    );
    assert.equal(plotlyAssetUrlFrom(join(copy, "notebooks", "mine")), `../assets/${file}`);
    const target = installPlotlyAsset(copy); // what the first plot() of a kernel in the copy does
    assert.equal(target, join(copy, "notebooks", "assets", file));
    assert.equal(statSync(target).size, statSync(plotlyBundle().path).size);
    assert.equal(plotlyAssetRoot(base), projectRoot(), "outside any course folder: this install, as before");
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

// a damaged asset may be a hard link to the shared bundle: it is replaced, never written through
test("a copy's asset already there (user-copy's hard link) is used as it is; a damaged one is replaced", () => {
  const { base, copy } = userCopy();
  try {
    const target = join(copy, "notebooks", "assets", `plotly-${plotlyBundle().version}.js`);
    const shared = join(base, "shared-plotly.js"); // stands for the install's node_modules/plotly.js-dist/plotly.js
    copyFileSync(plotlyBundle().path, shared);
    mkdirSync(join(copy, "notebooks", "assets"));
    linkSync(shared, target);
    assert.equal(installPlotlyAsset(plotlyAssetRoot(join(copy, "notebooks"))), target);
    assert.equal(statSync(target).ino, statSync(shared).ino, "nothing was written: still the link");
    truncateSync(shared, 10); // damaged (both names are the same file)
    installPlotlyAsset(copy);
    assert.equal(statSync(shared).size, 10, "the shared file was not written through the link");
    assert.ok(readFileSync(target).equals(readFileSync(plotlyBundle().path)), "the copy's asset is whole again");
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
