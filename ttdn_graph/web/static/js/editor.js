/* YASGUI on this site's /sparql, configured to work offline:
   - the endpoint is this site's /sparql, and the endpoint catalogue offers nothing else;
   - the LOV-backed "property" and "class" autocompleters are off (they would call lov.linkeddata.es);
   - "prefixes" completes from YASQE's bundled list (prefixCcApi stays null: prefix.cc is never called);
   - no persistence: every visit starts on this endpoint (a stored tab could point elsewhere). */
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var endpoint = new URL(el.getAttribute("data-endpoint"), window.location.href).href;
  var prefixes = JSON.parse(document.getElementById("ttdn-prefixes").textContent);
  var header = Object.keys(prefixes).filter(function (p) { return ["ttdn", "rdfs", "skos", "prov"].indexOf(p) >= 0; })
    .map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n");
  var example = header + "\n\n# Plans, their jurisdiction and number of tasks\n" +
    "SELECT ?plan ?label ?unit (COUNT(?task) AS ?tasks) WHERE {\n" +
    "  ?plan a ttdn:Plan ; rdfs:label ?label ; ttdn:hasTask ?task ; ttdn:jurisdiction ?u .\n" +
    "  ?u rdfs:label ?unit .\n" +
    "} GROUP BY ?plan ?label ?unit ORDER BY ?unit LIMIT 100\n";

  // result IRIs open this site's page of the IRI, in the same tab (the table plugin links to the IRI itself)
  var viewsConfig = JSON.parse(document.getElementById("ttdn-views-config").textContent);
  var Table = Yasgui.Yasr.plugins && Yasgui.Yasr.plugins.table;
  if (Table && typeof TtdnViews !== "undefined") {
    var iriLink = Table.prototype.getUriLinkFromBinding;
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      // the link comes back sanitised (DOMPurify writes double quotes); the page URL is percent-encoded
      var local = TtdnViews.pageUrl(binding.value, viewsConfig).replace(/"/g, "%22").replace(/'/g, "%27");
      return iriLink.call(this, binding, prefixes).replace(/ href=(["'])[^"']*\1/, ' href="' + local + '"')
        .replace(/ target=(["'])[^"']*\1/, ' target="_self"').replace(/ rel=(["'])[^"']*\1/, "");
    };
  }
  // the chart, timeline and map views (static/js/resultviews.js), as YASR plugins beside the table
  if (typeof TtdnViews !== "undefined" && typeof echarts !== "undefined") {
    ["chart", "timeline", "map"].forEach(function (view) {
      var Plugin = function (yasr) { this.yasr = yasr; this.label = view.charAt(0).toUpperCase() + view.slice(1); };
      Plugin.prototype.priority = 1;
      Plugin.prototype.hideFromSelection = false;
      Plugin.prototype.canHandleResults = function () {
        var r = this.yasr.results;
        var j = r && r.getAsJson && r.getAsJson();
        return !!(j && j.results && TtdnViews.fits(j).indexOf(view) >= 0);
      };
      Plugin.prototype.draw = function () {
        var el = document.createElement("div");
        el.className = "ttdn-yasr-view";
        this.yasr.resultsEl.appendChild(el);
        return TtdnViews.draw(el, this.yasr.results.getAsJson(), view, viewsConfig, {});
      };
      Plugin.prototype.getIcon = function () {
        var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
        svg.setAttribute("viewBox", "0 0 16 16"); svg.setAttribute("width", "15"); svg.setAttribute("height", "15");
        var path = document.createElementNS(ns, "path");
        path.setAttribute("fill", "currentColor");
        path.setAttribute("d", {
          chart: "M1 15h14v1H1zM2 9h3v5H2zM6.5 4h3v10h-3zM11 7h3v7h-3z",
          timeline: "M0 7.5h16v1H0zM3 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM10 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z",
          map: "M6 1a5 5 0 1 0 0 10A5 5 0 0 0 6 1zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"
        }[view]);
        svg.appendChild(path);
        var wrap = document.createElement("span");
        wrap.appendChild(svg);
        return wrap;
      };
      Yasgui.Yasr.registerPlugin(view, Plugin);
    });
    Yasgui.Yasr.defaults.pluginOrder = ["table", "chart", "timeline", "map", "response"];
  }

  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  Yasgui.Yasqe.defaults.value = example;
  Yasgui.defaults.requestConfig.endpoint = endpoint;
  Yasgui.defaults.endpointCatalogueOptions.getData = function () { return [{ endpoint: endpoint }]; };

  var yasgui = new Yasgui(el, {
    persistenceId: null,
    copyEndpointOnNewTab: true,
    requestConfig: { endpoint: endpoint, method: "POST" },
    yasqe: { value: example },
    yasr: { prefixes: prefixes }
  });
  window.yasgui = yasgui;
})();
