// DimReduce book: draws the plotly charts and renders the math of a page, offline.
// Charts: each div.chart is followed by a <script type="application/json" class="chart-figure" data-chart="ID">
// holding the figure ({data, layout, config}) that the notebook displayed. Math: Markdig writes
// <span class="math">\(...\)</span> and <div class="math">\[...\]</div>; KaTeX renders them.
// A failure is reported with console.error, which the book check (tests/book/check-book.sh) treats as an error.
(function () {
  "use strict";
  function renderMath() {
    if (!window.katex) { console.error("KaTeX (katex/katex.min.js) did not load; the math stays as TeX."); return; }
    document.querySelectorAll(".math").forEach(function (el) {
      var display = el.tagName === "DIV";
      var tex = el.textContent.trim().replace(/^\\[\[(]/, "").replace(/\\[\])]$/, "").trim();
      try {
        window.katex.render(tex, el, { displayMode: display, throwOnError: true });
      } catch (e) {
        el.classList.add("math-error");
        console.error("KaTeX could not render " + JSON.stringify(tex) + ": " + e.message);
      }
    });
  }
  function drawCharts() {
    var figures = document.querySelectorAll("script.chart-figure");
    if (figures.length === 0) return;
    if (!window.Plotly) { console.error("plotly.js (plotly.min.js) did not load; " + figures.length + " chart(s) not drawn."); return; }
    figures.forEach(function (script) {
      var id = script.getAttribute("data-chart");
      try {
        var figure = JSON.parse(script.textContent);
        var layout = figure.layout || {};
        delete layout.width;
        delete layout.height;
        layout.autosize = true;
        var config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
        window.Plotly.newPlot(id, figure.data || [], layout, config);
      } catch (e) {
        console.error("chart " + id + " could not be drawn: " + e.message);
      }
    });
  }
  renderMath();
  drawCharts();
})();
