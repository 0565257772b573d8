// Renders the formulas of an nbconvert HTML page at export time with KaTeX, so the page needs no
// MathJax (nbconvert points to file:///usr/share/javascript/mathjax, Debian's copy, or to a CDN).
// Only rendered Markdown and LaTeX output is touched; <pre>, <code>, <script>, <style> and tag
// attributes never are. KaTeX's CSS goes in once per page with its woff2 fonts as data: URIs, and
// the MathJax and require.js <script> tags that load from file:// or http(s) are removed.
//   node scripts/jupyter/export-math.mjs exports/01-bn-forward.html [more.html …]   (rewrites in place)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { rewriteHtmlFile, runHtmlCli } from "./html-cli.mjs";

const require = createRequire(import.meta.url);
const katex = require("katex");
const CSS_ID = "bnlab-katex-css";

/** Containers whose text is Markdown/LaTeX output: JupyterLab template, then classic template. */
const MATH_CONTAINER =
  /<div\b[^>]*\bclass="[^"]*\b(?:jp-RenderedMarkdown|jp-RenderedLatex|text_cell_render|output_latex)\b[^"]*"[^>]*>/g;
/** Pieces of HTML that are never math: raw-text elements, code, and any tag (with its attributes). */
const NOT_TEXT = /(<(pre|code|script|style|textarea)\b[\s\S]*?<\/\2>|<[^>]*>)/i;
/** Escaped dollar (kept), display $$…$$ and \[…\], inline \(…\) and $…$ (as MathJax reads them; not when a digit follows, "$5 and $10"). */
const MATH = /\\\$|\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|\$((?:\\.|[^$\\])+?)\$(?!\d)/g;

const unescapeHtml = (s) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&");

const render = (tex, displayMode) =>
  katex.renderToString(unescapeHtml(tex).trim(), { displayMode, throwOnError: false, output: "html" });

/** Replaces the math in one run of text (no tags inside). */
export function renderMathInText(text) {
  return text.replace(MATH, (whole, display, bracket, paren, inline) => {
    if (whole === "\\$") return whole;
    if (display !== undefined || bracket !== undefined) return render(display ?? bracket, true);
    return render(paren ?? inline, false);
  });
}

/** Replaces the math in an HTML fragment, leaving tags, <pre>, <code>, <script>, <style> alone. */
export function renderMathInHtml(html) {
  return html
    .split(NOT_TEXT)
    .map((piece, i) => (i % 3 === 0 ? renderMathInText(piece) : i % 3 === 1 ? piece : ""))
    .join("");
}

/** End index of the <div> opened just before `from` (counts nested divs). */
function closingDiv(html, from) {
  const tags = /<div\b|<\/div>/g;
  tags.lastIndex = from;
  for (let depth = 1, m; (m = tags.exec(html));) {
    depth += m[0] === "</div>" ? -1 : 1;
    if (depth === 0) return m.index;
  }
  return html.length;
}

/** KaTeX's stylesheet with each @font-face reduced to its woff2 file, inlined as a data: URI. */
export function katexCss() {
  const dist = join(dirname(require.resolve("katex/package.json")), "dist");
  return readFileSync(join(dist, "katex.min.css"), "utf8").replace(
    /src:url\(fonts\/([\w-]+\.woff2)\)[^;}]*/g,
    (_, font) => {
      const base64 = readFileSync(join(dist, "fonts", font)).toString("base64");
      return `src:url(data:font/woff2;base64,${base64}) format("woff2")`;
    },
  );
}

/** The MathJax loader and its configuration, and <script src> tags that load from file:// or http(s). */
const DROPPED_SCRIPTS = [
  /<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration) -->/gi,
  /<script\b[^>]*\bsrc=["']?(?:file:|https?:|\/\/)[^>]*>\s*<\/script>/gi,
  /<script type="text\/x-mathjax-config">[\s\S]*?<\/script>/g,
];

/** Renders every formula of an nbconvert page with KaTeX and makes the page need nothing outside itself. */
export function renderMath(html) {
  let out = "";
  let at = 0;
  for (const open of html.matchAll(MATH_CONTAINER)) {
    const start = open.index + open[0].length;
    if (start <= at) continue; // nested inside a container already done
    const end = closingDiv(html, start);
    out += html.slice(at, start) + renderMathInHtml(html.slice(start, end));
    at = end;
  }
  out += html.slice(at);
  for (const pattern of DROPPED_SCRIPTS) out = out.replace(pattern, "");
  if (out.includes(`id="${CSS_ID}"`)) return out;
  const style = `<style id="${CSS_ID}">${katexCss()}</style>\n`;
  return out.includes("</head>") ? out.replace("</head>", () => `${style}</head>`) : style + out;
}

/** Rewrites one HTML file in place; returns its new size in bytes. */
export function renderMathFile(path) {
  return rewriteHtmlFile(path, renderMath);
}

runHtmlCli(import.meta.url, (file) => `${(renderMathFile(file) / 1e6).toFixed(2)} MB, formulas rendered with KaTeX`);
