// Search as you type: a small enhancement of the search boxes (they work without it).
(function () {
  "use strict";
  var pages = { film: "/films/", person: "/people/" };
  function href(hit) {
    if (hit.kind === "character") {
      var cut = hit.id.lastIndexOf("/");
      return "/films/" + hit.id.slice(0, cut) + "#character-" + hit.id.slice(cut + 1);
    }
    if (hit.kind === "essay") return "/essays/" + hit.id;
    return (pages[hit.kind] || "/search?q=") + encodeURIComponent(hit.id);
  }
  function attach(input) {
    var list = document.createElement("ul");
    var listId = input.id + "-suggestions";
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var timer = null, seq = 0, active = -1;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function show(hits) {
      list.textContent = "";
      hits.forEach(function (hit, i) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = href(hit);
        link.id = listId + "-" + i;
        link.setAttribute("role", "option");
        link.textContent = hit.name + (hit.year ? " (" + hit.year + ")" : "");
        var kind = document.createElement("span");
        kind.className = "muted";
        kind.textContent = " — " + (hit.detail || hit.kind);
        link.appendChild(kind);
        item.appendChild(link);
        list.appendChild(item);
      });
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch(input.getAttribute("data-suggest") + "?prefix=true&limit=8&q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
          .then(function (body) { if (mine === seq) show(body.hits || []); })
          .catch(close);
      }, 120);
    });
    input.addEventListener("keydown", function (e) {
      var options = list.querySelectorAll("a");
      if (e.key === "Escape") { close(); return; }
      if (list.hidden || !options.length) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (active >= 0) options[active].removeAttribute("aria-selected");
        active = (active + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        window.location.href = options[active].href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
