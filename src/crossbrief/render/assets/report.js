// crossbrief report: citation panel, highlighting and toggles. Article data is only ever
// put into the page with textContent / createTextNode, never parsed as markup.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var data = JSON.parse(document.getElementById("brief-data").textContent);
  var articles = data.articles;
  var panel = document.getElementById("source-panel");
  var panelBody = document.getElementById("panel-body");
  var CONTEXT = 280;  // characters of context on each side of a cited span
  var lastChip = null;
  var firstHit = null;

  // Offsets are counted in Unicode code points (as Python counts them); JavaScript strings
  // count UTF-16 units, so characters outside the BMP need converting.
  function points(s) { return Array.from(s); }
  function units(s, k) { return points(s).slice(0, k).join("").length; }

  function add(parent, tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  function articleBody(id) {
    var bodies = document.querySelectorAll(".article-body");
    for (var i = 0; i < bodies.length; i++) {
      if (bodies[i].getAttribute("data-article") === id) return bodies[i];
    }
    return null;
  }

  function setOpen(article, open) {
    article.classList.toggle("open", open);
    var button = article.querySelector("button.expand");
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function clearHits() {
    var hits = document.querySelectorAll("mark.hit");
    for (var i = 0; i < hits.length; i++) {
      var mark = hits[i], parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    }
    firstHit = null;
  }

  // Wrap article text [start, end) in <mark class="hit">, skipping removed boilerplate,
  // which is shown in place but is not part of the clean text the offsets count.
  function highlight(id, start, end) {
    clearHits();
    var body = articleBody(id);
    if (!body) return;
    var article = body.closest(".source-article");
    if (article) setOpen(article, true);
    var paragraphs = body.querySelectorAll("p[data-start]");
    for (var i = 0; i < paragraphs.length; i++) {
      var p = paragraphs[i];
      var pos = Number(p.getAttribute("data-start"));
      if (Number(p.getAttribute("data-end")) <= start || pos >= end) continue;
      var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      var nodes = [];
      while (walker.nextNode()) {
        if (!walker.currentNode.parentNode.closest(".removed")) nodes.push(walker.currentNode);
      }
      for (var j = 0; j < nodes.length; j++) {
        var node = nodes[j], length = points(node.data).length;
        var from = Math.max(start, pos) - pos, to = Math.min(end, pos + length) - pos;
        pos += length;
        if (from >= to) continue;
        var middle = node;
        var a = units(node.data, from), b = units(node.data, to);
        if (a > 0) middle = node.splitText(a);
        if (b - a < middle.data.length) middle.splitText(b - a);
        var mark = document.createElement("mark");
        mark.className = "hit";
        middle.parentNode.insertBefore(mark, middle);
        mark.appendChild(middle);
        if (!firstHit) firstHit = mark;
      }
    }
  }

  function contextOf(article, start, end) {
    var text = points(article.text), from = 0, to = text.length;
    for (var i = 0; i < article.paragraphs.length; i++) {
      var p = article.paragraphs[i];
      if (p[0] <= start && start < p[1]) from = p[0];
      if (p[0] < end && end <= p[1]) to = p[1];
    }
    var before = text.slice(Math.max(from, start - CONTEXT), start).join("");
    var after = text.slice(end, Math.min(to, end + CONTEXT)).join("");
    if (start - CONTEXT > from) before = "…" + before.replace(/^\S*\s/, "");
    if (end + CONTEXT < to) after = after.replace(/\s\S*$/, "") + "…";
    return [before, text.slice(start, end).join(""), after];
  }

  function openPanel(chip) {
    var id = chip.getAttribute("data-article");
    var start = Number(chip.getAttribute("data-start"));
    var end = Number(chip.getAttribute("data-end"));
    var article = articles[id];
    if (!article) return;
    if (lastChip) lastChip.removeAttribute("aria-pressed");
    lastChip = chip;
    chip.setAttribute("aria-pressed", "true");
    while (panelBody.firstChild) panelBody.removeChild(panelBody.firstChild);
    add(panelBody, "h2", null, article.source).id = "panel-outlet";
    if (article.title) add(panelBody, "p", "title", article.title);
    var meta = [article.published, article.author ? "by " + article.author : null];
    add(panelBody, "p", "meta", meta.filter(Boolean).join(" · "));
    var parts = contextOf(article, start, end);
    var context = add(panelBody, "p", "context");
    context.appendChild(document.createTextNode(parts[0]));
    add(context, "mark", "cited", parts[1]);
    context.appendChild(document.createTextNode(parts[2]));
    if (data.article_link) {
      // Served by the web app: the article's own page, the same span marked there. The
      // report may be framed by the story page, so the link opens in the whole window.
      var open = add(add(panelBody, "p", "meta"), "a", null, "Open the article's page");
      open.id = "panel-open";
      open.target = "_top";
      open.href = data.article_link.replace("{article}", encodeURIComponent(id))
        .replace("{start}", String(start)).replace("{end}", String(end));
    }
    panel.hidden = false;
    highlight(id, start, end);
    panel.focus();
  }

  function closePanel() {
    panel.hidden = true;
    clearHits();
    if (lastChip) {
      lastChip.removeAttribute("aria-pressed");
      lastChip.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.classList.contains("cite")) {
      openPanel(target);
    } else if (target.id === "panel-close") {
      closePanel();
    } else if (target.id === "panel-goto") {
      if (firstHit) {
        firstHit.setAttribute("tabindex", "-1");
        firstHit.scrollIntoView({block: "center"});
        firstHit.focus({preventScroll: true});
      }
    } else if (target.classList.contains("expand")) {
      setOpen(target.closest(".source-article"),
              target.getAttribute("aria-expanded") !== "true");
    } else if (target.hasAttribute("data-toggle")) {
      var on = target.getAttribute("aria-pressed") !== "true";
      target.setAttribute("aria-pressed", on ? "true" : "false");
      var name = target.getAttribute("data-toggle");
      if (name === "open-all") {
        var all = document.querySelectorAll(".source-article");
        for (var i = 0; i < all.length; i++) setOpen(all[i], on);
      } else {
        root.classList.toggle(name, on);
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      closePanel();
    }
  });

  // The claims matrix's filters: a row stays when it has the chosen status ("disputed": a
  // conflict or update touches it) and the chosen outlet states it; a status group with no
  // row left is hidden with its heading.
  var statusFilter = document.getElementById("filter-status");
  var outletFilter = document.getElementById("filter-outlet");
  var filterCount = document.getElementById("filter-count");
  function filterMatrix() {
    var status = statusFilter.value;
    var outlet = outletFilter.value ? outletFilter.value.split(" ") : [];
    var shown = 0, total = 0;
    var groups = document.querySelectorAll("#matrix tbody");
    for (var g = 0; g < groups.length; g++) {
      var rows = groups[g].querySelectorAll("tr[data-claim]"), left = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var states = (row.getAttribute("data-articles") || "").split(" ");
        var keep = (!status || (status === "disputed" ? row.hasAttribute("data-touched")
                                : row.getAttribute("data-status") === status))
          && (!outlet.length || outlet.some(function (id) { return states.indexOf(id) >= 0; }));
        row.hidden = !keep;
        total += 1;
        if (keep) { left += 1; shown += 1; }
      }
      groups[g].hidden = left === 0;
    }
    filterCount.textContent = shown === total ? total + (total === 1 ? " claim" : " claims")
      : shown + " of " + total + " claims";
  }
  if (statusFilter && outletFilter && filterCount) {
    statusFilter.addEventListener("change", filterMatrix);
    outletFilter.addEventListener("change", filterMatrix);
  }

  // Printing shows every article in full (the print style sheet does too, without script).
  window.addEventListener("beforeprint", function () {
    var all = document.querySelectorAll(".source-article");
    for (var i = 0; i < all.length; i++) setOpen(all[i], true);
  });
})();
