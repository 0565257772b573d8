// What the browser test does inside a JupyterLab 4 or Notebook 7 page (Chromium via playwright-core).
// Both apps are built from JupyterLab's packages; the server exposes the app as `window.jupyterapp`
// (expose_app_in_browser), so the test reads cells, outputs and kernel messages from the app's own models.

/** Opens the notebook, waits for its kernel, records its messages, runs all cells and waits for every reply. */
export async function openAndRunAll(page, url, timeoutMs, onLoaded = () => {}) {
  await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  await page.waitForFunction(
    () => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel?.status === "idle",
    null,
    { timeout: timeoutMs, polling: 250 },
  );
  onLoaded();
  await page.setViewportSize({ width: 1280, height: SCREENSHOT_HEIGHT }); // see screenshot()
  const expected = await page.evaluate(recordAndRunAll);
  try {
    await page.waitForFunction(
      (n) => window.__bnlab.replies.length >= n && window.__bnlab.kernel.status === "idle",
      expected,
      { timeout: timeoutMs, polling: 250 },
    );
  } catch {
    const { done, connection } = await page.evaluate(() => ({
      done: window.__bnlab.replies.length,
      connection: window.__bnlab.connection,
    }));
    const dropped = connection.length ? ` (kernel connection: ${connection.join(" → ")})` : "";
    return [
      `timed out after ${timeoutMs / 1000} s: ${done} of ${expected} code cells replied, or the kernel never went idle${dropped}`,
    ];
  }
  const replies = await page.evaluate(() =>
    window.__bnlab.replies.map((r) => ({ ...r, index: window.__bnlab.cellIndex(r.cellId) })),
  );
  const silent = new Set(
    await page.evaluate(
      silentErrorCells,
      replies.filter((r) => r.status === "error").map((r) => r.index),
    ),
  );
  return replies
    .filter((r) => r.status !== "ok")
    .map((r) => `cell ${r.index}: execute_reply status "${r.status}"${silent.has(r.index) ? SILENT_ERROR : ""}`);
}

/**
 * In the page: keeps every execute_reply and display message of the notebook's kernel in `window.__bnlab`
 * (each tied to its cell by the cellId JupyterLab puts in the request's metadata), then runs all cells.
 * Returns how many code cells will reply (JupyterLab sends nothing for an empty cell).
 */
function recordAndRunAll() {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  const cells = () =>
    Array.from({ length: panel.content.model.cells.length }, (_, i) => panel.content.model.cells.get(i));
  const requests = new Map(); // execute_request msg_id → cellId
  const record = (window.__bnlab = {
    panel,
    kernel,
    replies: [],
    displays: [],
    connection: [],
    cellIndex: (id) => cells().findIndex((c) => c.id === id),
  });
  kernel.connectionStatusChanged.connect((_, status) => record.connection.push(status)); // a dropped websocket loses messages
  kernel.anyMessage.connect((_, { msg, direction }) => {
    const type = msg.header.msg_type;
    if (direction === "send" && type === "execute_request") requests.set(msg.header.msg_id, msg.metadata.cellId);
    const cellId = requests.get(msg.parent_header?.msg_id);
    if (direction !== "recv" || cellId === undefined) return;
    if (type === "execute_reply") record.replies.push({ cellId, status: msg.content.status });
    if (type === "display_data" || type === "update_display_data") {
      const data = msg.content.data;
      record.displays.push({
        cellId,
        update: type === "update_display_data",
        displayId: msg.content.transient?.display_id,
        progress: String(data["text/html"] ?? "").includes("bnlab-progress"),
        figure: "application/vnd.plotly.v1+json" in data,
      });
    }
  });
  void app.commands.execute("notebook:run-all-cells");
  return cells().filter((cell) => cell.type === "code" && cell.sharedModel.getSource().trim()).length;
}

const SILENT_ERROR =
  " with no stderr and no error output: the error message was lost on the way (see patches/tslab+1.0.22.patch)";

/** In the page: the notebook as nbformat JSON, outputs included (display updates already applied). */
function notebookJson() {
  return window.__bnlab.panel.content.model.toJSON();
}

/** The notebook as the page holds it (nbformat JSON with the outputs of this run). */
export const notebookModel = (page) => page.evaluate(notebookJson);

/** In the page: which of these cells show neither a stderr stream nor an error output. */
function silentErrorCells(indices) {
  const cells = window.__bnlab.panel.content.model.toJSON().cells;
  const shows = (o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr");
  return indices.filter((i) => !(cells[i]?.outputs ?? []).some(shows));
}

const text = (value) => (Array.isArray(value) ? value.join("") : String(value ?? ""));

/** Every stderr output (tslab reports type and runtime errors there) and every `error` output. */
export async function checkOutputs(page) {
  const { cells } = await page.evaluate(notebookJson);
  return cells.flatMap((cell, index) =>
    (cell.outputs ?? [])
      .filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
      .map(
        (o) =>
          `cell ${index} ${o.output_type === "error" ? "error" : "stderr"}: ${(o.output_type === "error" ? `${o.ename}: ${o.evalue}` : text(o.text)).trim().split("\n").slice(0, 4).join(" | ")}`,
      ),
  );
}

/**
 * The live training displays (show.liveTraining): each must have been updated in place (at least one
 * update_display_data, and the cell holds one output per display id, not one per update) and show its
 * final state (the progress line says "done"; its HTML has no trailing "…"). Returns { count, problems }.
 */
export async function checkLiveDisplays(page) {
  const { displays, cells } = await page.evaluate(() => ({
    displays: window.__bnlab.displays.map((d) => ({ ...d, index: window.__bnlab.cellIndex(d.cellId) })),
    cells: window.__bnlab.panel.content.model.toJSON().cells,
  }));
  const problems = [];
  const progressIds = new Set(displays.filter((d) => d.progress).map((d) => d.displayId));
  for (const index of new Set(displays.filter((d) => d.progress).map((d) => d.index))) {
    const mine = displays.filter((d) => d.index === index);
    const live = new Set(mine.filter((d) => d.progress).map((d) => d.displayId));
    const outputs = cells[index].outputs ?? [];
    const progress = outputs.filter((o) => text(o.data?.["text/html"]).includes("bnlab-progress"));
    if (progress.length !== live.size)
      problems.push(
        `cell ${index}: ${progress.length} progress outputs for ${live.size} live displays (updates appended instead of replacing?)`,
      );
    const figures = outputs.filter((o) => o.data?.["application/vnd.plotly.v1+json"]).length;
    const created = mine.filter((d) => d.figure && !d.update).length;
    if (figures !== created) problems.push(`cell ${index}: ${figures} figure outputs for ${created} figures created`);
    for (const id of live)
      if (!mine.some((d) => d.displayId === id && d.update))
        problems.push(`cell ${index}: live display ${id} was never updated in place`);
    for (const o of progress) {
      const line =
        text(o.data["text/plain"]) ||
        text(o.data["text/html"])
          .replace(/<[^>]*>/g, "")
          .trim();
      if (!/ · done$/.test(line) || text(o.data["text/html"]).includes("…"))
        problems.push(`cell ${index}: live display did not finish: "${line}"`);
    }
  }
  return { count: progressIds.size, problems };
}

/**
 * Waits until every figure is drawn: expected = outputs carrying the plotly MIME type (or the figure divs
 * the HTML view created, if more); drawn = `.js-plotly-plot` holding an `svg.main-svg`, split by who drew
 * it: the HTML view (its div has class bnlab-plot) or jupyterlab-plotly's renderer. `stale` lists drawn
 * figures whose traces differ from their output's (a display update that was never drawn).
 */
export async function checkFigures(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let figures = await page.evaluate(countFigures);
  while ((figures.drawn < figures.expected || figures.stale.length) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    figures = await page.evaluate(countFigures);
  }
  return figures;
}

/** In the page: the figures of the notebook, expected and drawn (see checkFigures). */
function countFigures() {
  const { panel } = window.__bnlab;
  const cells = panel.content.model.toJSON().cells;
  const plotly = (cell) => (cell.outputs ?? []).map((o) => o.data?.["application/vnd.plotly.v1+json"]).filter(Boolean);
  const shape = (traces) => JSON.stringify((traces ?? []).map((t) => [t.type, t.x?.length, t.y?.length, t.z?.length]));
  const json = cells.reduce((n, cell) => n + plotly(cell).length, 0);
  const divs = panel.node.querySelectorAll(".jp-OutputArea .bnlab-plot").length;
  const drawn = [...panel.node.querySelectorAll(".js-plotly-plot")].filter((div) => div.querySelector("svg.main-svg"));
  const html = drawn.filter((div) => div.classList.contains("bnlab-plot")).length;
  const stale = panel.content.widgets.flatMap((widget, index) => {
    const shown = [...widget.node.querySelectorAll(".js-plotly-plot")].map((div) => shape(div.data));
    const held = plotly(cells[index]).map((figure) => shape(figure.data));
    return shown.length === held.length && shown.every((s, i) => s === held[i]) ? [] : [{ index, shown, held }];
  });
  return { expected: Math.max(json, divs), drawn: drawn.length, html, renderer: drawn.length - html, stale };
}

/** The kernel session's id (for DELETE /api/sessions/<id>), or null. */
export const sessionId = (page) =>
  page.evaluate(() => window.__bnlab?.panel.sessionContext.session?.id ?? null).catch(() => null);

/**
 * A screenshot of the whole notebook (up to SCREENSHOT_HEIGHT pixels). The notebook scrolls inside its panel,
 * so the viewport is made that tall before Run All (growing it later makes Notebook 7's plotly renderer
 * collapse its figures to zero height), and the picture is clipped to the notebook's height.
 */
export async function screenshot(page, path) {
  const height = await page.evaluate(scrollNotebookToTop);
  await page.waitForTimeout(500);
  await page.screenshot({
    path,
    clip: { x: 0, y: 0, width: 1280, height: Math.min(Math.max(900, Math.ceil(height)), SCREENSHOT_HEIGHT) },
  });
}

export const SCREENSHOT_HEIGHT = 16_000;

/** In the page: folds the left side bar, scrolls the notebook to its top; returns the height that shows every cell. */
function scrollNotebookToTop() {
  window.jupyterapp.shell.collapseLeft?.();
  const notebook = window.__bnlab.panel.content.node;
  const scroller = notebook.querySelector(".jp-WindowedPanel-outer") ?? notebook;
  scroller.scrollTop = 0;
  return (
    Math.max(...[...notebook.querySelectorAll(".jp-Cell")].map((cell) => cell.getBoundingClientRect().bottom)) + 40
  );
}
