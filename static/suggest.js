// Type-ahead for the search box (progressive enhancement): while a word is typed, suggestions
// from /api/v1/suggest (variables, datasets, codes, code lists, coding systems) in a listbox
// under the box, in the ARIA 1.2 combobox pattern with list autocomplete: aria-expanded,
// aria-controls, aria-activedescendant; arrow down and up move through the suggestions, Enter
// opens the one chosen (or searches as before when none is), Escape closes the list. Without
// JavaScript the box is a plain search field and the form searches as before.
(function () {
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  var en = document.documentElement.lang === "en";
  var row = input.parentNode;
  var list = document.createElement("ul");
  list.id = input.id + "-forslag";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  row.parentNode.insertBefore(list, row.nextSibling);
  row.parentNode.insertBefore(status, list.nextSibling);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var items = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function open() {
    if (!items.length) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function select(i) {
    var options = list.children;
    for (var k = 0; k < options.length; k++) options[k].setAttribute("aria-selected", k === i ? "true" : "false");
    active = i;
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(i) {
    if (items[i]) window.location.href = items[i].url;
  }

  function render(suggestions) {
    items = suggestions || [];
    list.textContent = "";
    items.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-i", String(i));
      var kind = document.createElement("span");
      kind.className = "kind";
      var k = (en ? s.kind_label.en : s.kind_label.sv) || s.kind;
      kind.textContent = k.charAt(0).toUpperCase() + k.slice(1);
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" " + ((en ? s.label.en : s.label.sv) || s.label.sv || s.label.en || s.iri)));
      if (s.notation) {
        var code = document.createElement("code");
        code.textContent = s.notation;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(code);
      }
      list.appendChild(li);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = items.length ? items.length + " " + (input.getAttribute("data-suggest-count") || "") : "";
    if (items.length && document.activeElement === input) open();
    else close();
  }

  function ask(text) {
    var mine = ++asked;
    fetch(input.getAttribute("data-suggest") + "?limit=8&q=" + encodeURIComponent(text), { headers: { accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && mine === asked) render(d.suggestions); })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2) {
      asked++;
      items = [];
      list.textContent = "";
      status.textContent = "";
      close();
      return;
    }
    timer = setTimeout(function () { ask(text); }, 120);
  });

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      if (!items.length) return;
      e.preventDefault();
      if (list.hidden) open();
      select(active + 1 < items.length ? active + 1 : 0);
    } else if (e.key === "ArrowUp") {
      if (!items.length) return;
      e.preventDefault();
      if (list.hidden) open();
      select(active > 0 ? active - 1 : items.length - 1);
    } else if (e.key === "Enter") {
      if (!list.hidden && active >= 0) {
        e.preventDefault();
        go(active);
      }
    } else if (e.key === "Escape") {
      if (!list.hidden) {
        e.preventDefault();
        close();
      }
    }
  });

  input.addEventListener("blur", function () { setTimeout(close, 200); });
  // a press on a suggestion keeps the focus in the box; the click opens it
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });
  list.addEventListener("click", function (e) {
    var li = e.target.closest ? e.target.closest("[role=option]") : null;
    if (li) go(Number(li.getAttribute("data-i")));
  });
})();
