/* The national overview map (kaarten/nederland.html): the municipalities and the organisations
 * their chains share, drawn by vis-network (generator/render/overzicht.py made the data).
 *
 * The positions were computed when the site was built; no physics runs here. When the map is
 * taller than wide (a phone) it uses the upright version of the same layout. The view (a readable
 * start on the most shared organisation, zooming, the wheel) is kaartbeeld.js, shared with the
 * chain maps.
 *
 * Three kinds of node: a shared organisation (labelled, sized by its number of municipalities),
 * a municipality (a dot; its name is its tooltip, and its label once chosen) and the hub of a
 * group of municipalities that share exactly the same organisations, from which one line per
 * organisation stands for the lines of all its municipalities. Choosing a municipality (click,
 * tap, or its list) lights up its organisations and shows a link to its chain page; choosing an
 * organisation lights up the municipalities that use it. A double click opens the page.
 *
 * Every text from the data is set with textContent; nothing is ever parsed as HTML.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var embedded = window.self !== window.top;
  root.classList.toggle("kk-ingebed", embedded);
  root.classList.toggle("kk-aanraak", window.matchMedia("(pointer: coarse)").matches);

  var data = JSON.parse(document.getElementById("kk-data").textContent);
  var container = document.getElementById("kaart");
  var details = document.getElementById("kk-details");
  var soorten = data.termen.soorten;
  var colours = data.kleuren;

  // -- the data ------------------------------------------------------------------------------
  var upright = container.clientHeight > container.clientWidth;
  var byId = {};
  var members = {}; // hub -> municipality ids
  data.nodes.forEach(function (n) {
    if (upright) { n.x = n.staand[0]; n.y = n.staand[1]; }
    delete n.staand;
    byId[n.id] = n;
    if (n.soort === "gemeente") {
      n.vast = n.label || ""; // a map of a few municipalities names them all; else a name shows when chosen
      n.shape = "dot"; n.size = 7; n.color = { background: colours.gemeente, border: colours.rand };
      (members[n.groep] = members[n.groep] || []).push(n.id);
    } else if (n.soort === "groep") {
      n.shape = "dot"; n.size = 2; n.color = { background: colours.lijn, border: colours.lijn };
      n.chosen = false;
    }
  });
  data.nodes.forEach(function (n) {
    if (n.soort === "gemeente") {
      var count = byId[n.groep].orgs.length;
      n.title = n.naam + "\n" + (count === 1 ? "1 gedeelde organisatie" : count + " gedeelde organisaties");
    } else if (n.soort === "organisatie") {
      n.title = n.naam + "\n" + (soorten[n.orgsoort] || n.orgsoort) + (n.landelijk ? ", landelijk" : "") +
        "\nOp de kaart van " + gemeenten(n.aantal);
      n.baseColor = n.color;
    } else {
      n.title = gemeenten(n.aantal) + " met dezelfde gedeelde organisaties";
    }
  });
  data.edges.forEach(function (e) { e.baseWidth = e.width; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var focus = null;

  function gemeenten(n) { return n === 1 ? "1 gemeente" : n + " gemeenten"; }

  // -- the view (kaartbeeld.js) ----------------------------------------------------------------
  var beeld = window.kkBeeld(network, container, nodes, data.start, data.options.nodes.font.size);

  // -- what is lit or faded --------------------------------------------------------------------
  function render() {
    var lit = null, litEdges = null;
    if (focus) {
      // a municipality: its group and the organisations the group shares; an organisation: the
      // groups that share it and their municipalities
      var n = byId[focus];
      lit = {}; litEdges = {};
      lit[focus] = true;
      data.nodes.forEach(function (hub) {
        if (hub.soort !== "groep") { return; }
        if (n.soort === "gemeente" ? hub.id === n.groep : hub.orgs.indexOf(focus) >= 0) {
          lit[hub.id] = true;
          if (n.soort === "gemeente") { hub.orgs.forEach(function (o) { lit[o] = true; }); }
          else { (members[hub.id] || []).forEach(function (m) { lit[m] = true; }); }
        }
      });
      data.edges.forEach(function (e) {
        if (n.soort === "gemeente" ? e.from === n.groep : e.to === focus) { litEdges[e.id] = true; }
      });
    }
    nodes.update(data.nodes.map(function (n) {
      var faded = lit !== null && !lit[n.id];
      var change = { id: n.id, opacity: faded ? 0.18 : 1, borderWidth: n.id === focus ? 4 : 1.5 };
      if (n.soort === "gemeente") { change.label = n.vast || (n.id === focus ? n.naam : ""); }
      if (n.soort === "organisatie") { change.font = { color: faded ? "#8c8c8c" : "#1a1a1a" }; }
      return change;
    }));
    edges.update(data.edges.map(function (e) {
      var on = litEdges !== null && litEdges[e.id];
      return { id: e.id, color: { color: on ? "#1a1a1a" : colours.lijn, opacity: litEdges !== null && !on ? 0.15 : 1 },
               width: on ? e.baseWidth + 1 : e.baseWidth };
    }));
    document.body.setAttribute("data-focus", focus || "");
  }

  // -- the details beside the map ----------------------------------------------------------------
  var el = window.kkEl; // an element with text (never HTML) and attributes: kaartbeeld.js

  function nodeButton(id) {
    var b = el("button", byId[id].naam, { type: "button" });
    b.addEventListener("click", function () { choose(id, true); });
    return b;
  }

  function showDetails(id) {
    var n = byId[id];
    details.replaceChildren();
    var close = el("button", "Sluiten", { type: "button", "class": "kk-sluit" });
    close.addEventListener("click", function () { clear(); document.getElementById("kk-gemeente").focus(); });
    details.appendChild(close);
    details.appendChild(el("h2", n.naam));
    var list = el("ul");
    if (n.soort === "gemeente") {
      var orgs = byId[n.groep].orgs;
      details.appendChild(el("a", "Naar de keten van " + n.naam, { href: n.url, target: "_top", "class": "kk-naar" }));
      details.appendChild(el("h3", orgs.length ? "Gedeelde organisaties op haar kaart (" + orgs.length + ")"
                                               : "Geen gedeelde organisaties op haar kaart"));
      orgs.forEach(function (o) { var li = el("li"); li.appendChild(nodeButton(o)); list.appendChild(li); });
    } else {
      details.appendChild(el("p", (soorten[n.orgsoort] || n.orgsoort) + (n.landelijk ? " · landelijk" : "") +
                                  " · op de kaart van " + gemeenten(n.aantal) + " van de " + data.totaal));
      details.appendChild(el("a", "Naar de pagina van " + n.naam, { href: n.url, target: "_top", "class": "kk-naar" }));
      var users = [];
      data.nodes.forEach(function (hub) {
        if (hub.soort === "groep" && hub.orgs.indexOf(id) >= 0) { users = users.concat(members[hub.id] || []); }
      });
      users.sort(function (a, b) { return byId[a].naam.localeCompare(byId[b].naam, "nl"); });
      if (users.length <= 50) {
        details.appendChild(el("h3", "Gemeenten (" + users.length + ")"));
        users.forEach(function (m) { var li = el("li"); li.appendChild(nodeButton(m)); list.appendChild(li); });
      }
    }
    if (list.childNodes.length) { details.appendChild(list); }
    details.hidden = false;
  }

  // -- choosing ----------------------------------------------------------------------------------
  function choose(id, fromList) {
    var n = byId[id];
    if (!n || n.soort === "groep") { return; }
    focus = id;
    document.getElementById("kk-gemeente").value = n.soort === "gemeente" ? id : "";
    document.getElementById("kk-org").value = n.soort === "organisatie" ? id : "";
    render();
    showDetails(id);
    network.selectNodes([id], false);
    if (fromList) { beeld.reveal(id); }
  }

  function clear() {
    focus = null;
    document.getElementById("kk-gemeente").value = "";
    document.getElementById("kk-org").value = "";
    network.unselectAll();
    details.hidden = true;
    details.replaceChildren();
    render();
  }

  network.on("click", function (params) {
    if (params.nodes.length && byId[params.nodes[0]].soort !== "groep") { choose(params.nodes[0], false); }
    else if (!params.edges.length) { clear(); }
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length || !byId[params.nodes[0]].url) { return; }
    var target = new URL(byId[params.nodes[0]].url, window.location.href);
    if (target.origin === window.location.origin) { window.top.location.href = target.href; }
  });
  ["kk-gemeente", "kk-org"].forEach(function (list) {
    document.getElementById(list).addEventListener("change", function (event) {
      if (event.target.value) { choose(event.target.value, true); } else { clear(); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && focus) { clear(); }
  });

  window.ketenkaart = { network: network, nodes: nodes, edges: edges, choose: choose, clear: clear, fit: beeld.fit };
})();
