/** Shared checks for the plot tests: every figure is titled, its axes titled, its legend on. */
import assert from "node:assert/strict";
import type { Figure } from "./figure";

/**
 * Asserts the figure's title, each axis title (layout.xaxis, xaxis2 …) and a visible legend; returns the axis titles.
 */
export function assertLabelled(figure: Figure): string[] {
  assert.ok(figure.layout.title.text.length > 0, "figure has a title");
  assert.notEqual(figure.layout.showlegend, false, "legend is shown");
  const axes = Object.keys(figure.layout).filter((key) => /^[xy]axis\d*$/.test(key));
  assert.ok(axes.length >= 2, `figure has x and y axes, got ${axes.join(", ")}`);
  const titles = axes.map((key) => (figure.layout[key] as { title: { text: string } }).title.text);
  titles.forEach((text, k) => assert.ok(text.length > 0, `${axes[k]} has a title`));
  for (const trace of figure.data)
    assert.ok((trace.name ?? "").length > 0, `every trace is named for the legend (${trace.type})`);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(figure)), "figure is plain JSON");
  return titles;
}
