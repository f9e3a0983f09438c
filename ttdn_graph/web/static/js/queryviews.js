/* A named query's page: the result (embedded as SPARQL JSON) drawn as a chart, timeline or map above its table
   (static/js/resultviews.js); the query's `# view:` header picks the view shown first. */
(function () {
  "use strict";
  var el = document.getElementById("ttdn-views");
  if (!el || typeof TtdnViews === "undefined" || typeof echarts === "undefined") { return; }
  var read = function (id) { return JSON.parse(document.getElementById(id).textContent); };
  TtdnViews.panel(el, read("ttdn-results"), read("ttdn-views-config"),
    { labels: read("ttdn-labels"), preferred: el.getAttribute("data-preferred") });
})();
