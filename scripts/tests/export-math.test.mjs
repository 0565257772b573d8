// scripts/jupyter/export-math.mjs: formulas rendered with KaTeX at export time, page self-contained.
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderMath, renderMathInHtml } from "../jupyter/export-math.mjs";
import { remoteResources } from "../jupyter/local-url.mjs";

// A trimmed nbconvert (lab template) page: Debian's local require.js and MathJax, a Markdown cell,
// a code cell, and a show.latex output.
const page = `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>t</title><script src="file:///usr/share/javascript/requirejs/require.min.js"></script>
<style>.x { content: "$a$"; }</style>
<!-- Load mathjax -->
    <script src="file:///usr/share/javascript/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"> </script>
    <!-- MathJax configuration -->
    <script type="text/x-mathjax-config">
    init_mathjax = function() { MathJax.Hub.Config({ tex2jax: { inlineMath: [ ['$','$'] ] } }); }
    init_mathjax();
    </script>
    <!-- End of mathjax configuration --></head><body>
<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">
<p>The mean $\\mu = \\frac{1}{m}\\sum_i x_i$, $ x_{1}-\\mu$ (mathjs puts a space first) and \\(\\sigma^2\\), costs \\$5 and $10.</p>
<p>$$\\hat{x} = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\varepsilon}}$$</p>
<p>\\[a &lt; b \\;\\&amp;\\; c &gt; d\\]</p>
<p>Code: <code>let s = $x$;</code></p><pre>price: $y$ and $$z$$</pre>
<div><a href="#$q$">nested $n$</a></div>
</div></div>
<div class="jp-Cell jp-CodeCell"><div class="highlight"><pre><span>const</span> s = "$x$";</pre></div>
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-OutputArea-output" data-mime-type="text/markdown">
<p>$$\\mu_1 = 3$$</p></div></div>
<p>Outside markdown: $raw$</p>
</body></html>`;

test("inline and display math become KaTeX markup; < > & are unescaped first", () => {
  const html = renderMath(page);
  assert.match(html, /<span class="katex"><span class="katex-html"[^>]*>.*<span class="mord mathnormal">μ<\/span>/);
  assert.equal((html.match(/class="katex-display"/g) ?? []).length, 3, "two $$…$$ and one \\[…\\]");
  assert.equal((html.match(/class="katex"/g) ?? []).length, 7, "3 display + μ, x₁ − μ, σ², nested n inline");
  assert.doesNotMatch(html, /katex-error/);
  for (const tex of ["\\frac", "\\sigma^2", "a &lt; b", "&amp;\\;"])
    assert.ok(!html.includes(tex), `TeX source ${tex} left`);
  assert.match(html, /<span class="mrel">&lt;<\/span>/, "'a &lt; b' was rendered as the relation <");
  assert.match(html, /nested <span class="katex">/, "math in a nested <div> of the cell");
});

test("<pre>, <code>, <script>, <style>, attributes, escaped \\$ and text outside markdown stay as they are", () => {
  const html = renderMath(page);
  assert.ok(html.includes("<code>let s = $x$;</code>"));
  assert.ok(html.includes("<pre>price: $y$ and $$z$$</pre>"));
  assert.ok(html.includes('<pre><span>const</span> s = "$x$";</pre>'));
  assert.ok(html.includes('.x { content: "$a$"; }'));
  assert.ok(html.includes('href="#$q$"'));
  assert.ok(html.includes("costs \\$5 and $10."), "escaped \\$ and a lone $ before a digit are not math");
  assert.ok(html.includes("Outside markdown: $raw$"));
  assert.equal(renderMathInHtml("a \\$x$ b"), "a \\$x$ b");
});

test("no file:// or http(s) loads left; MathJax config gone; KaTeX CSS with woff2 data: fonts inlined once", () => {
  const html = renderMath(renderMath(page));
  for (const gone of ["file://", "MathJax", "mathjax", "require.min.js"])
    assert.ok(!html.includes(gone), `${gone} left`);
  assert.deepEqual(remoteResources(html), []);
  assert.equal((html.match(/id="bnlab-katex-css"/g) ?? []).length, 1);
  const css = html.match(/<style id="bnlab-katex-css">([\s\S]*?)<\/style>/)[1];
  assert.ok(css.indexOf("</head>") === -1 && html.indexOf('id="bnlab-katex-css"') < html.indexOf("</head>"));
  const faces = css.match(/@font-face\{[^}]*\}/g);
  assert.ok(faces.length >= 15, `${faces.length} @font-face rules`);
  for (const face of faces)
    assert.match(face, /src:url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{100,}\) format\("woff2"\)\}/);
  for (const gone of [".woff)", ".ttf", "url(fonts/"]) assert.ok(!css.includes(gone), `${gone} left in the CSS`);
});
