/* The referral map of one chain (kaarten/<slug>.html), drawn by vis-network.
 *
 * The positions were computed when the site was built (generator/render/kaart.py): no physics
 * runs here, so every load shows the same picture. When the map is taller than wide (a phone),
 * it uses the upright version of the same layout (also computed then): the phases read from top
 * to bottom instead of from left to right.
 *
 * The view (kaartbeeld.js, loaded first): the map starts whole when its labels are readable
 * that way, else readable on the chain's way in, with "Hele kaart" to see everything. A mouse
 * wheel over the map scrolls the page; Ctrl or Cmd with the wheel, two fingers, or the buttons
 * zoom. Choosing an organisation (click, tap, or the list above the map) lights it and its
 * direct relations up and fades the rest, with its details beside the map. Filters hide what does
 * not belong to a phase, target group or kind of relation; a route lights its steps up in order.
 *
 * Every text from the data is set with textContent; nothing is ever parsed as HTML.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var embedded = window.self !== window.top;
  root.classList.toggle("kk-ingebed", embedded);
  root.classList.toggle("kk-aanraak", window.matchMedia("(pointer: coarse)").matches);
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  var data = JSON.parse(document.getElementById("kk-data").textContent);
  var container = document.getElementById("kaart");
  var details = document.getElementById("kk-details");
  var termen = data.termen;

  // -- the data ------------------------------------------------------------------------------
  var upright = container.clientHeight > container.clientWidth;
  var byId = {};
  data.nodes.forEach(function (n) {
    if (upright) { n.x = n.staand[0]; n.y = n.staand[1]; }
    delete n.staand;
    n.title = n.naam + "\n" + (termen.soorten[n.soort] || n.soort) + "\n" + (termen.inzet[n.inzet] || n.inzet);
    n.baseColor = n.color;
    byId[n.id] = n;
  });
  data.edges.forEach(function (e) {
    e.baseColor = e.color;
    e.baseWidth = e.width;
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  var state = { focus: null, fase: "", doelgroep: "", relaties: {}, route: null, stap: -1 };
  Object.keys(termen.relaties).forEach(function (k) { state.relaties[k] = true; });
  var timer = null;

  // -- the view (kaartbeeld.js): a readable start, the zoom buttons, the wheel, the first drawing
  var beeld = window.kkBeeld(network, container, nodes, data.start, data.options.nodes.font.size);

  // -- what is lit, faded or hidden ------------------------------------------------------------
  function nodeShown(n) {
    return (!state.fase || n.fasen.indexOf(state.fase) >= 0) &&
           (!state.doelgroep || n.doelgroepen.indexOf(state.doelgroep) >= 0);
  }

  function edgeShown(e) {
    return state.relaties[e.soort] && nodeShown(byId[e.from]) && nodeShown(byId[e.to]);
  }

  function routeSteps() {
    return state.route ? state.route.stappen.slice(0, state.stap + 1) : [];
  }

  function render() {
    var litNodes = null, litEdges = null, current = null;
    if (state.route) {
      var steps = routeSteps();
      litNodes = {}; litEdges = {};
      steps.forEach(function (id, i) {
        litNodes[id] = true;
        if (i > 0) {
          data.edges.forEach(function (e) {
            if ((e.from === steps[i - 1] && e.to === id) || (e.to === steps[i - 1] && e.from === id)) { litEdges[e.id] = true; }
          });
        }
      });
      current = steps[steps.length - 1];
    } else if (state.focus) {
      litNodes = {}; litEdges = {};
      litNodes[state.focus] = true;
      data.edges.forEach(function (e) {
        if (edgeShown(e) && (e.from === state.focus || e.to === state.focus)) {
          litEdges[e.id] = true; litNodes[e.from] = true; litNodes[e.to] = true;
        }
      });
      current = state.focus;
    }
    nodes.update(data.nodes.map(function (n) {
      var faded = litNodes !== null && !litNodes[n.id];
      return { id: n.id, hidden: !nodeShown(n) && !(litNodes && litNodes[n.id]), opacity: faded ? 0.18 : 1,
               borderWidth: n.id === current ? 4 : 1.5,
               font: { color: faded ? "#8c8c8c" : "#1a1a1a" } };
    }));
    edges.update(data.edges.map(function (e) {
      var lit = litEdges !== null && litEdges[e.id];
      var faded = litEdges !== null && !lit;
      return { id: e.id, hidden: !edgeShown(e) && !lit,
               color: { color: e.baseColor, opacity: faded ? 0.12 : 1 },
               width: lit ? e.baseWidth + 2 : e.baseWidth };
    }));
    document.body.setAttribute("data-focus", state.focus || "");
  }

  // -- the details beside the map ----------------------------------------------------------------
  var el = window.kkEl; // an element with text (never HTML) and attributes: kaartbeeld.js

  function closeButton() {
    var b = el("button", "Sluiten", { type: "button", "class": "kk-sluit" });
    b.addEventListener("click", function () { clear(); document.getElementById("kk-org").focus(); });
    return b;
  }

  function orgButton(id) {
    var b = el("button", byId[id].naam, { type: "button" });
    b.addEventListener("click", function () { choose(id, true); });
    return b;
  }

  function showDetails(id) {
    var n = byId[id];
    details.replaceChildren();
    details.appendChild(closeButton());
    details.appendChild(el("h2", n.naam));
    var kind = (termen.soorten[n.soort] || n.soort) + " · " + (termen.inzet[n.inzet] || n.inzet).toLowerCase();
    details.appendChild(el("p", kind + (n.landelijk ? " · landelijk" : "")));
    if (n.fasen.length) {
      details.appendChild(el("p", "Fasen: " + n.fasen.map(function (f) { return (termen.fasen[f] || f).toLowerCase(); }).join(", ")));
    }
    var link = el("a", "Naar de pagina van " + n.naam, { href: n.url, target: "_top", "class": "kk-naar" });
    details.appendChild(link);
    var rows = [];
    data.edges.forEach(function (e) {
      if (!edgeShown(e) || (e.from !== id && e.to !== id)) { return; }
      var other = e.from === id ? e.to : e.from;
      var label = termen.relaties[e.soort] || e.soort;
      var mutual = !e.arrows;
      rows.push({ other: other, text: e.from === id || mutual ? label + ": " : "Relatie met deze organisatie (" + label.toLowerCase() + "): " });
    });
    details.appendChild(el("h3", rows.length ? "Directe relaties (" + rows.length + ")" : "Geen relaties getoond"));
    if (rows.length) {
      var list = el("ul");
      rows.forEach(function (r) {
        var li = el("li", r.text);
        li.appendChild(orgButton(r.other));
        list.appendChild(li);
      });
      details.appendChild(list);
    }
    details.hidden = false;
  }

  function showRoute() {
    var route = state.route;
    details.replaceChildren();
    details.appendChild(closeButton());
    details.appendChild(el("h2", "Route"));
    details.appendChild(el("p", route.naam + (route.warm ? " (warme overdracht)" : "")));
    var list = el("ol");
    route.stappen.forEach(function (id, i) {
      var li = el("li", null, i === state.stap ? { "aria-current": "step" } : {});
      li.appendChild(orgButton(id));
      if (i > state.stap) { li.classList.add("kk-later"); }
      list.appendChild(li);
    });
    details.appendChild(list);
    details.hidden = false;
  }

  // -- choosing ----------------------------------------------------------------------------------
  function stopRoute() {
    if (timer) { window.clearInterval(timer); timer = null; }
    state.route = null; state.stap = -1;
    document.getElementById("kk-route").value = "";
  }

  function choose(id, fromList) {
    if (!byId[id]) { return; }
    stopRoute();
    state.focus = id;
    if (!nodeShown(byId[id])) { // a filter hides it: show everything again
      state.fase = state.doelgroep = "";
      document.getElementById("kk-fase").value = document.getElementById("kk-doelgroep").value = "";
    }
    document.getElementById("kk-org").value = id;
    render();
    showDetails(id);
    network.selectNodes([id], false);
    if (fromList) { beeld.reveal(id); }
  }

  function clear() {
    stopRoute();
    state.focus = null;
    document.getElementById("kk-org").value = "";
    network.unselectAll();
    details.hidden = true;
    details.replaceChildren();
    render();
  }

  network.on("click", function (params) {
    if (params.nodes.length) { choose(params.nodes[0], false); } else if (!params.edges.length) { clear(); }
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) { return; }
    var target = new URL(byId[params.nodes[0]].url, window.location.href);
    if (target.origin === window.location.origin) { window.top.location.href = target.href; }
  });

  document.getElementById("kk-org").addEventListener("change", function (event) {
    if (event.target.value) { choose(event.target.value, true); } else { clear(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && (state.focus || state.route)) { clear(); }
  });

  // -- filters and routes --------------------------------------------------------------------------
  function filtersChanged() {
    if (state.focus && !nodeShown(byId[state.focus])) {
      state.focus = null; details.hidden = true; document.getElementById("kk-org").value = "";
    }
    render();
    if (state.focus) { showDetails(state.focus); }
  }
  document.getElementById("kk-fase").addEventListener("change", function (event) {
    state.fase = event.target.value; filtersChanged();
  });
  document.getElementById("kk-doelgroep").addEventListener("change", function (event) {
    state.doelgroep = event.target.value; filtersChanged();
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=relatie]"), function (box) {
    box.addEventListener("change", function () { state.relaties[box.value] = box.checked; filtersChanged(); });
  });
  document.getElementById("kk-route").addEventListener("change", function (event) {
    var value = event.target.value;
    if (timer) { window.clearInterval(timer); timer = null; }
    if (value === "") { clear(); return; }
    state.focus = null;
    document.getElementById("kk-org").value = "";
    network.unselectAll();
    state.route = data.routes[Number(value)];
    state.stap = reduced ? state.route.stappen.length - 1 : 0;
    var step = function () {
      render(); showRoute();
      document.body.setAttribute("data-stap", String(state.stap));
      if (state.stap >= state.route.stappen.length - 1 && timer) { window.clearInterval(timer); timer = null; }
    };
    step();
    if (state.stap < state.route.stappen.length - 1) {
      timer = window.setInterval(function () { state.stap += 1; step(); }, 900);
    }
  });
  if (!embedded && window.matchMedia("(min-width: 45rem)").matches) {
    document.getElementById("kk-meer").open = true;
  }

  window.ketenkaart = { network: network, nodes: nodes, edges: edges, choose: choose, clear: clear, fit: beeld.fit };
})();
