// Progressive enhancement of the search page: a filter applies as soon as it is ticked.
// Without JavaScript the "Använd filter" button does the same.
(function () {
  var form = document.getElementById("facetform");
  if (!form) return;
  form.addEventListener("change", function (e) {
    if (e.target && e.target.type === "checkbox") form.submit();
  });
})();
