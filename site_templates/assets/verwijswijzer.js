/* Ketenkaart verwijswijzer.
 *
 * Reads the form, looks the answer up in the municipality's precomputed file
 * (verwijswijzer/data/<gemeente>.json, written by generator/analyse/verwijs, format in page_data)
 * and shows it. The page does no matching of its own: it only looks answers up.
 * The answers are kept in the link after the # (never sent to a server), so a link restores them.
 * Text from the data is only ever set with textContent; links only get http(s) addresses or
 * paths inside this site.
 */
(function () {
  "use strict";

  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var FIELDS = ["leerbaarheid", "problematiek", "schulden", "vertrouwen", "urgent", "fase"];
  var SITE_PATH = /^[a-z0-9][a-z0-9\-\/]*\/(#[a-z0-9\-]+)?$/;

  var root = document.getElementById("kk-vw");
  if (!root || !window.fetch || !window.URLSearchParams || !window.history || !window.FormData) {
    return;
  }
  var form = document.getElementById("kk-vw-formulier");
  var result = document.getElementById("kk-vw-resultaat");
  var select = document.getElementById("kk-vw-gemeente");
  var fout = document.getElementById("kk-vw-gemeente-fout");
  var basis = root.getAttribute("data-basis") || "../";
  // Guidance pages this site has (a municipality's own site may have none), and the folders of
  // generated pages, which always exist: a link to a guidance page the site lacks becomes text.
  var gidsen = JSON.parse(root.getAttribute("data-gidsen") || "[]");
  var gemaakt = JSON.parse(root.getAttribute("data-gemaakt") || "[]");
  var dataDir = root.getAttribute("data-data") || "data/";
  var cache = {};
  var afkortingen = readAbbreviations();
  root.hidden = false;

  /* -- the answers: form, link ---------------------------------------------------------------- */

  function readForm() {
    var data = new FormData(form);
    var answers = { gemeente: data.get("gemeente") || "", doelgroep: data.getAll("doelgroep") };
    FIELDS.forEach(function (f) { answers[f] = data.get(f) || ""; });
    return answers;
  }

  function writeForm(answers) {
    select.value = answers.gemeente;
    if (select.value !== answers.gemeente) { select.value = ""; }
    FIELDS.forEach(function (f) {
      var inputs = form.querySelectorAll('input[name="' + f + '"]');
      var found = false;
      inputs.forEach(function (input) {
        input.checked = input.value === answers[f];
        found = found || input.checked;
      });
      if (!found) { inputs.forEach(function (input) { input.checked = input.value === ""; }); }
    });
    form.querySelectorAll('input[name="doelgroep"]').forEach(function (input) {
      input.checked = answers.doelgroep.indexOf(input.value) >= 0;
    });
  }

  function toHash(answers) {
    var params = new URLSearchParams();
    params.set("gemeente", answers.gemeente);
    FIELDS.forEach(function (f) { if (answers[f]) { params.set(f, answers[f]); } });
    answers.doelgroep.forEach(function (d) { params.append("doelgroep", d); });
    return "#" + params.toString();
  }

  function gemeenteFromLink(value) {
    var wanted = value.trim().toLowerCase();
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      var cbs = (option.getAttribute("data-cbs") || "").toLowerCase();
      if (option.value && (option.value === wanted || cbs === wanted)) { return option.value; }
    }
    return "";
  }

  function fromHash(hash) {
    var params = new URLSearchParams(hash.replace(/^#/, ""));
    var asked = params.get("gemeente") || "";
    var answers = { gemeente: gemeenteFromLink(asked), doelgroep: params.getAll("doelgroep"), gevraagd: asked };
    FIELDS.forEach(function (f) { answers[f] = params.get(f) || ""; });
    return answers;
  }

  /* -- looking the answer up ------------------------------------------------------------------ */

  function load(slug) {
    if (!cache[slug]) {
      cache[slug] = fetch(dataDir + encodeURIComponent(slug) + ".json").then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
    }
    return cache[slug];
  }

  function optionValue(key, answers) {
    if (key === "urgent") { return answers.urgent === "ja" ? "ja" : ""; }
    if (key.indexOf("doelgroep.") === 0) { return answers.doelgroep.indexOf(key.slice(10)) >= 0 ? "ja" : ""; }
    return answers[key] || "";
  }

  function part(data, name, options) {
    var p = data.delen[name];
    var index = 0;
    p.assen.forEach(function (axis) {
      var classes = axis[1];
      index = index * (Math.max.apply(null, classes) + 1) + classes[options[axis[0]]];
    });
    var code = 0;
    for (var k = 0; k < p.breedte; k++) {
      code = code * 64 + ALPHABET.indexOf(p.index.charAt(index * p.breedte + k));
    }
    return p.waarden[code];
  }

  function lookup(data, answers) {
    var options = data.vragen.map(function (q) {
      var i = q[1].indexOf(optionValue(q[0], answers));
      return i < 0 ? 0 : i;
    });
    function text(i) { return data.teksten[i]; }
    function optText(i) { return i < 0 ? null : data.teksten[i]; }
    function org(i) {
      var o = data.orgs[i];
      return { id: o[0], naam: o[1], pagina: o[2], toegang: o[3].map(text), website: o[4] };
    }
    function item(i) {
      var it = data.items[i];
      var o = org(it[0]);
      o.redenen = it[1].map(text);
      o.let_op = it[2].map(text);
      return o;
    }
    function step(s) {
      var o = org(s[0]);
      return { id: o.id, naam: o.naam, pagina: o.pagina, warme_overdracht: s[1] === 1, wanneer: optText(s[2]) };
    }
    var orgs = part(data, "organisaties", options);
    var route = part(data, "route", options);
    var stappen = route[0].map(step);
    return {
      gemeente: data.gemeente,
      organisaties: orgs[0].map(item),
      meer_organisaties: orgs[1],
      route: stappen.map(function (s) { return s.id; }),
      route_naam: optText(route[1]),
      route_stappen: stappen,
      vervolg: route[2].map(step),
      termijn: part(data, "termijn", options),
      instrumenten: part(data, "instrumenten", options),
      landelijk: part(data, "landelijk", options).map(item),
      gat: part(data, "gat", options).map(text).join(" ") || null
    };
  }

  /* -- showing it ----------------------------------------------------------------------------- */

  function readAbbreviations() {
    var node = document.getElementById("kk-vw-afkortingen");
    var known = {};
    try { known = node ? JSON.parse(node.textContent) : {}; } catch (e) { known = {}; }
    var keys = Object.keys(known).sort(function (a, b) { return b.length - a.length; });
    if (!keys.length) { return null; }
    var alternatives = keys.map(function (k) { return k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|");
    return { known: known, pattern: new RegExp("(^|[^\\w-])(" + alternatives + ")(?![\\w-])", "g") };
  }

  /* Every abbreviation in the advice gets its explanation, as on the rest of the site. */
  function explainAbbreviations(container) {
    if (!afkortingen) { return; }
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var pattern = afkortingen.pattern;
      var parts = null;
      var last = 0;
      var match;
      pattern.lastIndex = 0;
      while ((match = pattern.exec(text)) !== null) {
        parts = parts || document.createDocumentFragment();
        var start = match.index + match[1].length;
        parts.appendChild(document.createTextNode(text.slice(last, start)));
        var abbr = el("abbr", match[2]);
        abbr.title = afkortingen.known[match[2]];
        parts.appendChild(abbr);
        last = start + match[2].length;
      }
      if (parts) {
        parts.appendChild(document.createTextNode(text.slice(last)));
        node.parentNode.replaceChild(parts, node);
      }
    });
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function exists(path) {
    var page = path.split("#")[0];
    return gemaakt.some(function (prefix) { return page.indexOf(prefix) === 0; }) || gidsen.indexOf(page) >= 0;
  }

  function siteLink(path, text) {
    if (!SITE_PATH.test(path) || !exists(path)) { return el("span", text); }
    var a = el("a", text);
    a.href = basis + path;
    return a;
  }

  function webLink(url, text) {
    if (!/^https?:\/\/[^\s]+$/i.test(url)) { return el("span", text); }
    var a = el("a", text);
    a.href = url;
    return a;
  }

  function labelText(input) {
    var label = form.querySelector('label[for="' + input.id + '"]');
    if (!label) { return input.value; }
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".kk-vw-uitleg").forEach(function (span) { span.remove(); });
    return copy.textContent.trim();
  }

  function summary() {
    var parts = [];
    form.querySelectorAll("fieldset").forEach(function (fieldset) {
      var chosen = [];
      fieldset.querySelectorAll("input:checked").forEach(function (input) {
        if (input.value) { chosen.push(labelText(input)); }
      });
      if (chosen.length) {
        var name = fieldset.getAttribute("data-naam") || fieldset.querySelector("legend").textContent.trim();
        parts.push(name + ": " + chosen.join(", "));
      }
    });
    return parts.length ? parts.join("; ") : "geen (alle vragen overgeslagen)";
  }

  function orgList(orgs) {
    var list = el("ol", null, "kk-vw-lijst");
    orgs.forEach(function (o) {
      var li = el("li");
      var name = el("p", null, "kk-vw-naam");
      name.appendChild(siteLink(o.pagina, o.naam));
      li.appendChild(name);
      var reasons = el("ul", null, "kk-vw-redenen");
      o.redenen.forEach(function (r) { reasons.appendChild(el("li", r)); });
      li.appendChild(reasons);
      o.let_op.forEach(function (w) {
        var p = el("p", null, "kk-vw-let-op");
        p.appendChild(el("strong", "Let op: "));
        p.appendChild(document.createTextNode(w));
        li.appendChild(p);
      });
      var how = el("p", null, "kk-vw-toegang");
      how.appendChild(el("strong", "Hoe komt u binnen: "));
      how.appendChild(document.createTextNode(o.toegang.join("; ")));
      if (o.website) {
        how.appendChild(document.createTextNode(" · "));
        how.appendChild(webLink(o.website, "website"));
      }
      li.appendChild(how);
      list.appendChild(li);
    });
    return list;
  }

  function routeStep(s) {
    var li = el("li");
    li.appendChild(siteLink(s.pagina, s.naam));
    if (s.warme_overdracht) { li.appendChild(el("span", " (warme overdracht)", "kk-vw-warm")); }
    if (s.wanneer) { li.appendChild(document.createTextNode(": " + s.wanneer)); }
    return li;
  }

  function render(answer, hash) {
    var box = document.createDocumentFragment();
    var heading = el("h2", "Advies voor " + answer.gemeente.naam);
    heading.id = "kk-vw-advies";
    box.appendChild(heading);
    box.appendChild(el("p", "Uw antwoorden: " + summary(), "kk-vw-samenvatting"));

    if (answer.gat) {
      var warning = el("div", null, "admonition warning kk-vw-gat");
      warning.appendChild(el("p", "Gat in de keten", "admonition-title"));
      warning.appendChild(el("p", answer.gat));
      box.appendChild(warning);
    }

    box.appendChild(el("h3", "Organisaties die passen"));
    if (answer.organisaties.length) {
      box.appendChild(el("p", "De beste eerst. Bij elke organisatie staat waarom zij past."));
      box.appendChild(orgList(answer.organisaties));
    } else {
      box.appendChild(el("p", "Geen organisatie in de keten past bij deze antwoorden."));
    }
    if (answer.meer_organisaties) {
      var more = el("p", "En nog " + answer.meer_organisaties + " andere organisaties: zie ");
      more.appendChild(siteLink(answer.gemeente.pagina, "de ketenpagina"));
      more.appendChild(document.createTextNode("."));
      box.appendChild(more);
    }

    box.appendChild(el("h3", "Route in de keten"));
    if (answer.route_naam) { box.appendChild(el("p", answer.route_naam)); }
    if (answer.route_stappen.length) {
      var steps = el("ol", null, "kk-vw-route");
      answer.route_stappen.forEach(function (s) { steps.appendChild(routeStep(s)); });
      box.appendChild(steps);
    } else {
      box.appendChild(el("p", "Deze keten heeft geen vaste route en geen centraal toegangspunt."));
    }
    if (answer.vervolg.length) {
      var last = answer.route_stappen[answer.route_stappen.length - 1];
      box.appendChild(el("p", "Daarna verwijst " + (last ? last.naam : "de keten") + " door naar een van deze organisaties:"));
      var next = el("ul", null, "kk-vw-vervolg");
      answer.vervolg.forEach(function (s) { next.appendChild(routeStep(s)); });
      box.appendChild(next);
    }

    box.appendChild(el("h3", "Termijn"));
    var term = el("p");
    term.appendChild(el("strong", "Eerste gesprek binnen " + answer.termijn.termijn + "."));
    box.appendChild(term);
    box.appendChild(el("p", answer.termijn.uitleg));
    var source = el("p", "Bron: ");
    source.appendChild(siteLink(answer.termijn.pagina, answer.termijn.bron));
    box.appendChild(source);

    box.appendChild(el("h3", "Instrumenten"));
    if (answer.instrumenten.length) {
      var tools = el("ul", null, "kk-vw-instrumenten");
      answer.instrumenten.forEach(function (i) {
        var li = el("li");
        li.appendChild(siteLink(i.pagina, i.naam));
        li.appendChild(document.createTextNode(": " + i.reden));
        tools.appendChild(li);
      });
      box.appendChild(tools);
    } else {
      box.appendChild(el("p", "Geen instrument in het bijzonder bij deze antwoorden."));
    }

    box.appendChild(el("h3", "Landelijke diensten"));
    if (answer.landelijk.length) {
      box.appendChild(el("p", "Voor als de keten geen passende hulp heeft:"));
      box.appendChild(orgList(answer.landelijk));
    } else {
      box.appendChild(el("p", "Geen landelijke dienst past bij deze antwoorden."));
    }

    var actions = el("div", null, "kk-vw-acties");
    var share = el("p");
    var link = el("a", "Link naar dit advies");
    link.id = "kk-vw-link";
    link.href = hash;
    share.appendChild(link);
    share.appendChild(document.createTextNode(" (om te delen of te bewaren; de link bevat uw antwoorden)"));
    actions.appendChild(share);
    var print = el("button", "Afdrukken", "md-button");
    print.type = "button";
    print.addEventListener("click", function () { window.print(); });
    actions.appendChild(print);
    var chain = el("p");
    chain.appendChild(siteLink(answer.gemeente.pagina, "Bekijk de hele keten van " + answer.gemeente.naam));
    actions.appendChild(chain);
    box.appendChild(actions);

    explainAbbreviations(box);
    result.replaceChildren(box);
    document.documentElement.classList.add("kk-vw-heeft-advies");
  }

  function message(text, withChains) {
    var box = document.createDocumentFragment();
    box.appendChild(el("p", text, "kk-vw-melding"));
    if (withChains) {
      var p = el("p", "Bekijk dan de ");
      var a = el("a", "ketenpagina van uw gemeente");
      a.href = basis + (root.getAttribute("data-overzicht") || "gemeenten/");
      p.appendChild(a);
      p.appendChild(document.createTextNode("."));
      box.appendChild(p);
    }
    result.replaceChildren(box);
    document.documentElement.classList.remove("kk-vw-heeft-advies");
  }

  function show(answers) {
    result.setAttribute("aria-busy", "true");
    return load(answers.gemeente).then(function (data) {
      render(lookup(data, answers), toHash(answers));
    }).catch(function () {
      message("Het advies kon niet worden geladen.", true);
    }).then(function () {
      result.removeAttribute("aria-busy");
    });
  }

  function gemeenteError(on) {
    fout.hidden = !on;
    if (on) { select.setAttribute("aria-invalid", "true"); } else { select.removeAttribute("aria-invalid"); }
  }

  function restore() {
    var answers = fromHash(location.hash);
    writeForm(answers);
    var checked = readForm();
    if (checked.gemeente) {
      gemeenteError(false);
      show(checked);
    } else if (answers.gevraagd) {
      message("De gemeente uit de link (" + answers.gevraagd + ") staat niet in de lijst. Kies een gemeente.", false);
    } else {
      result.replaceChildren();
      document.documentElement.classList.remove("kk-vw-heeft-advies");
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = readForm();
    if (!answers.gemeente) {
      gemeenteError(true);
      select.focus();
      return;
    }
    gemeenteError(false);
    var hash = toHash(answers);
    if (location.hash !== hash) { history.pushState(null, "", hash); }
    show(answers);
  });
  select.addEventListener("change", function () { if (select.value) { gemeenteError(false); } });
  /* For the tests: the same lookup the page uses, on any profile. */
  window.ketenkaartVerwijswijzer = { load: load, lookup: lookup };
  window.addEventListener("popstate", restore);
  window.addEventListener("hashchange", restore);
  if (location.hash.length > 1) { restore(); }
}());
