// Progressive enhancement of the variable list: "Lägg till", "Ta bort" and "Lägg till alla"
// send their form in the background and change the page in place (no reload, no jump to the
// top); the count in the menu follows and a status line tells screen readers what happened.
// Without JavaScript (or when the request fails) the same forms post as usual.
(function () {
  "use strict";
  if (!window.fetch || !window.URLSearchParams || !window.FormData) return;

  var status = document.getElementById("list-status");

  function announce(text) {
    if (!status || !text) return;
    status.textContent = "";
    // a new text node each time, so that the same words are read again
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function showCount(n) {
    var els = document.querySelectorAll("[data-list-count]");
    for (var i = 0; i < els.length; i++) els[i].textContent = String(n);
  }

  function hiddenText(text) {
    var s = document.createElement("span");
    s.className = "visually-hidden";
    s.textContent = text;
    return s;
  }

  // Turns an add form into a remove form or back, keeping its hidden fields.
  function flip(form, inList) {
    var words = (form.getAttribute("data-words") || "").split("|");
    var name = form.getAttribute("data-name") || "";
    var old = form.querySelectorAll("button, .inlist");
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    var button = document.createElement("button");
    button.type = "submit";
    if (inList) {
      form.action = "/variabellista/ta-bort";
      form.setAttribute("data-list", "remove");
      var mark = document.createElement("span");
      mark.className = "inlist";
      mark.textContent = words[1] || "";
      form.appendChild(mark);
      button.className = "secondary";
      button.textContent = words[2] || "";
      button.appendChild(hiddenText(" " + name));
    } else {
      form.action = "/variabellista/lagg-till";
      form.setAttribute("data-list", "add");
      button.textContent = words[0] || "";
      button.appendChild(hiddenText(": " + name));
    }
    form.appendChild(button);
    return button;
  }

  // Every form on the page that adds or removes `iri`.
  function formsOf(iri) {
    var out = [];
    var forms = document.querySelectorAll("form[data-list]");
    for (var i = 0; i < forms.length; i++) {
      var v = forms[i].querySelector('input[name="variabel"]');
      if (v && v.value === iri) out.push(forms[i]);
    }
    return out;
  }

  function removeRow(form) {
    var row = form.closest("tr");
    if (!row) return;
    var table = row.closest("table");
    row.parentNode.removeChild(row);
    if (table && !table.querySelector("tbody tr")) {
      var wrap = table.closest(".register") || table.parentNode;
      wrap.parentNode.removeChild(wrap);
    }
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.matches || !form.matches("form[data-list]")) return;
    e.preventDefault();
    var kind = form.getAttribute("data-list");
    var body = new URLSearchParams(new FormData(form));
    var button = form.querySelector("button");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    })
      .then(function (res) {
        var type = res.headers.get("content-type") || "";
        if (type.indexOf("application/json") !== 0) throw new Error("not an answer to a script");
        return res.json();
      })
      .then(function (answer) {
        if (button) button.disabled = false;
        showCount(answer.count);
        if (!answer.ok) {
          announce(answer.message);
          return;
        }
        if (kind === "all") {
          (answer.added_iris || []).concat(answer.present_iris || []).forEach(function (iri) {
            formsOf(iri).forEach(function (f) { if (f.getAttribute("data-list") === "add") flip(f, true); });
          });
        } else if (form.hasAttribute("data-row")) {
          removeRow(form);
          if (answer.count === 0) window.location.reload();
        } else {
          var iri = form.querySelector('input[name="variabel"]').value;
          var focus = null;
          formsOf(iri).forEach(function (f) {
            var b = flip(f, answer.in_list);
            if (f === form) focus = b;
          });
          if (focus) focus.focus();
        }
        announce(answer.message);
      })
      .catch(function () {
        // the ordinary post: the server answers with a page
        form.submit();
      });
  });
})();
