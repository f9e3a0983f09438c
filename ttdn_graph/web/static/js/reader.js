// The document reader: #L100 and #L100-L104 highlight those lines and bring the first into view (the server marks
// ?lines=100-104 itself; this covers links made by hand). No library, no request.
(function () {
  "use strict";
  function mark() {
    var m = /^#L(\d+)(?:-L?(\d+))?$/.exec(location.hash || "");
    var old = document.querySelectorAll("li.line.hl-hash");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("hl-hash");
    if (!m) return;
    var a = parseInt(m[1], 10), b = m[2] ? parseInt(m[2], 10) : a;
    if (b < a) { var t = a; a = b; b = t; }
    for (var n = a; n <= b && n - a < 100000; n++) {
      var li = document.getElementById("L" + n);
      if (!li) break;
      li.classList.add("hl-hash");
    }
    var first = document.getElementById("L" + a);
    if (first) first.scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", mark);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark); else mark();
})();
