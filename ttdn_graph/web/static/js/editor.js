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
