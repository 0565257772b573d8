// What the browser test does inside a classic Notebook 6 page (runs in Chromium via playwright-core).

/** Opens the notebook, waits for its kernel, turns autosave off, runs all cells and waits for every reply. */
export async function openAndRunAll(page, url, timeoutMs) {
  await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  await page.waitForFunction(() => window.Jupyter?.notebook?._fully_loaded && window.Jupyter.notebook.kernel?.is_connected(), null, { timeout: 120_000 });
  const expected = await page.evaluate(() => {
    const notebook = window.Jupyter.notebook;
    notebook.set_autosave_interval(0); // never write outputs into the committed notebook
    const codeCells = notebook.get_cells().filter((cell) => cell.cell_type === "code");
    const replies = (window.__bnlabReplies = []);
    if (codeCells.length) {
      const proto = Object.getPrototypeOf(codeCells[0]);
      const original = proto._handle_execute_reply;
      proto._handle_execute_reply = function (msg) {
        replies.push({ index: notebook.find_cell_index(this), status: msg.content.status });
        return original.call(this, msg);
      };
    }
    notebook.execute_all_cells();
    return codeCells.filter((cell) => cell.get_text().trim()).length;
  });
  try {
    await page.waitForFunction(
      (n) => window.__bnlabReplies.length >= n && document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon"),
      expected,
      { timeout: timeoutMs, polling: 250 },
    );
  } catch {
    const done = await page.evaluate(() => window.__bnlabReplies.length);
    return [`timed out after ${timeoutMs / 1000} s: ${done} of ${expected} code cells replied, or the kernel never went idle`];
  }
  const replies = await page.evaluate(() => window.__bnlabReplies);
  const silent = new Set(await page.evaluate(silentErrorCells, replies.filter((r) => r.status === "error").map((r) => r.index)));
  return replies
    .filter((r) => r.status !== "ok")
    .map((r) => `cell ${r.index}: execute_reply status "${r.status}"${silent.has(r.index) ? SILENT_ERROR : ""}`);
}

const SILENT_ERROR = " with no stderr: tslab writes every error there, so the message was lost on the way (see scripts/jupyter/patch-tslab.mjs)";

/** In the page: which of these cells show neither a stderr stream nor an error output. */
function silentErrorCells(indices) {
  const shows = (o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr");
  return indices.filter((i) => !(window.Jupyter.notebook.get_cell(i).output_area?.outputs ?? []).some(shows));
}

/** Every stderr output (tslab reports type and runtime errors there) and every `error` output. */
export async function checkOutputs(page) {
  return page.evaluate(() =>
    window.Jupyter.notebook.get_cells().flatMap((cell, index) =>
      (cell.output_area?.outputs ?? [])
        .filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
        .map((o) => `cell ${index} ${o.output_type === "error" ? "error" : "stderr"}: ${String(o.text ?? o.evalue).trim().split("\n").slice(0, 4).join(" | ")}`),
    ),
  );
}

/**
 * Waits until every figure is drawn: expected = outputs carrying the plotly MIME type (or the
 * figure divs the HTML view created, if more); drawn = `.js-plotly-plot` holding an `svg.main-svg`.
 */
export async function checkFigures(page, timeoutMs) {
  const count = () =>
    page.evaluate(() => {
      const outputs = window.Jupyter.notebook.get_cells().flatMap((cell) => cell.output_area?.outputs ?? []);
      const json = outputs.filter((o) => o.data && o.data["application/vnd.plotly.v1+json"]).length;
      const divs = document.querySelectorAll("#notebook .output_area .bnlab-plot").length;
      const drawn = [...document.querySelectorAll("#notebook .js-plotly-plot")].filter((div) => div.querySelector("svg.main-svg")).length;
      return { expected: Math.max(json, divs), drawn };
    });
  const deadline = Date.now() + timeoutMs;
  let figures = await count();
  while (figures.drawn < figures.expected && Date.now() < deadline) {
    await page.waitForTimeout(250);
    figures = await count();
  }
  return figures;
}

/** A full-length screenshot: classic Notebook scrolls inside #site, so let it grow first. */
export async function screenshot(page, path) {
  await page.addStyleTag({ content: "body, #site { overflow: visible !important; height: auto !important; }" });
  await page.screenshot({ path, fullPage: true });
}
