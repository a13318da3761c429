// Progressive enhancement of the search page: a filter applies as soon as it is ticked, and
// on a wide screen the filters are shown open beside the results (on a phone they stay in
// their disclosure below the results). Without JavaScript the "Använd filter" button does the
// same, and the disclosure opens with a click.
(function () {
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 50.01rem)").matches) filters.open = true;
  var form = document.getElementById("facetform");
  if (!form) return;
  form.addEventListener("change", function (e) {
    if (e.target && e.target.type === "checkbox") form.submit();
  });
})();
