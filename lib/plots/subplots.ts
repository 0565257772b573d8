/**
 * Several figures in one row of panels, e.g. loss per step beside accuracy per epoch,
 * or "without BN" beside "with BN". Each panel keeps its own axes, axis titles and traces;
 * its title becomes the panel's heading.
 */
import { assertOptions, describeValue, InputError } from "../core/checks";
import type { Axis, Figure, Layout, Trace } from "./figure";

/** Options of `sideBySide`. */
export interface SideBySideOptions {
  /** The overall title above the panels. */
  title: string;
  /** Height in pixels (default: chosen by the display). */
  height?: number;
  /** Horizontal gap between panels, as a fraction of the width (default 0.1). */
  gap?: number;
}

/** Places `figures` left to right in one figure: panel k spans x ∈ [k·(w+gap), k·(w+gap)+w] of the width. */
export function sideBySide(figures: Figure[], options: SideBySideOptions): Figure {
  if (!Array.isArray(figures) || figures.length === 0)
    throw new InputError(`sideBySide: pass an array of at least one figure, got ${describeValue(figures)}.`);
  assertOptions(options, "sideBySide options", '{ title: "…" }');
  const { gap = 0.1 } = options;
  const width = (1 - gap * (figures.length - 1)) / figures.length;
  const layout: Layout = { title: { text: options.title }, showlegend: true, annotations: [] as unknown[] };
  if (options.height !== undefined) layout.height = options.height;
  const data: Trace[] = [];
  figures.forEach((figure, k) => {
    const suffix = k === 0 ? "" : String(k + 1);
    const domain = [k * (width + gap), k * (width + gap) + width];
    for (const trace of figure.data) data.push(placeTrace(trace, suffix, domain[1]));
    layout[`xaxis${suffix}`] = { ...fallbackAxis(figure.layout.xaxis), domain, anchor: `y${suffix}` };
    layout[`yaxis${suffix}`] = { ...fallbackAxis(figure.layout.yaxis), anchor: `x${suffix}` };
    (layout.annotations as unknown[]).push(panelTitle(figure.layout.title.text, (domain[0] + domain[1]) / 2));
    if (figure.layout.barmode !== undefined) layout.barmode = figure.layout.barmode;
  });
  return { data, layout };
}

/** The trace drawn on axes x<suffix>/y<suffix>; a colour bar moves to the right edge of its panel. */
function placeTrace(trace: Trace, suffix: string, right: number): Trace {
  const placed: Trace = { ...trace, xaxis: `x${suffix}`, yaxis: `y${suffix}` };
  if (trace.colorbar !== undefined) placed.colorbar = { ...(trace.colorbar as object), x: right + 0.01 };
  return placed;
}

function fallbackAxis(given: Axis | undefined): Axis {
  return given ?? { title: { text: "" } };
}

function panelTitle(text: string, x: number): Record<string, unknown> {
  return {
    text: `<b>${text}</b>`,
    x,
    y: 1,
    xref: "paper",
    yref: "paper",
    xanchor: "center",
    yanchor: "bottom",
    showarrow: false,
  };
}
