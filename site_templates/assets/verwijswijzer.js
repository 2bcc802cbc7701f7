/* Ketenkaart verwijswijzer.
 *
 * Reads the form, looks the answer up in the municipality's precomputed file
 * (verwijswijzer/data/<gemeente>.json, written by generator/analyse/verwijs, format in page_data)
 * and shows it. The page does no matching of its own: it only looks answers up.
 * The answers are kept in the link after the # (never sent to a server), so a link restores them;
 * "voor=hulpvrager" in the link shows only the view for the help seeker (printable on one A4).
 * Nothing is stored and nothing is sent: the profile lives only in the link.
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

  function toHash(answers, voor) {
    var params = new URLSearchParams();
    params.set("gemeente", answers.gemeente);
    FIELDS.forEach(function (f) { if (answers[f]) { params.set(f, answers[f]); } });
    answers.doelgroep.forEach(function (d) { params.append("doelgroep", d); });
    if (voor) { params.set("voor", voor); }
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
    var answers = { gemeente: gemeenteFromLink(asked), doelgroep: params.getAll("doelgroep"), gevraagd: asked,
                    voor: params.get("voor") === "hulpvrager" ? "hulpvrager" : "" };
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

  function optionsOf(data, answers) {
    return data.vragen.map(function (q) {
      var i = q[1].indexOf(optionValue(q[0], answers));
      return i < 0 ? 0 : i;
    });
  }

  function part(data, name, options) {
    var p = data.delen[name];
    var index = 0;
    p.assen.forEach(function (axis) {
      var classes = axis[1];
      index = index * (Math.max.apply(null, classes) + 1) + classes[options[axis[0]]];
    });
    return p.waarden[number(p.index, index, p.breedte)];
  }

  /* The base-64 number at position `at` of a text of `width`-character numbers. */
  function number(codes, at, width) {
    var value = 0;
    for (var k = 0; k < width; k++) {
      value = value * 64 + ALPHABET.indexOf(codes.charAt(at * width + k));
    }
    return value;
  }

  /* A list part's value (organisaties, landelijk): its text of base-64 numbers, decoded. */
  function numbers(data, name, options) {
    var codes = part(data, name, options);
    var width = data.delen[name].codebreedte;
    var found = [];
    for (var at = 0; at < codes.length / width; at++) { found.push(number(codes, at, width)); }
    return found;
  }

  /* Whether an option of a question makes a difference anywhere in this municipality: some part
   * puts it in another class than "skipped". */
  function makesDifference(data, question, option) {
    return Object.keys(data.delen).some(function (name) {
      return data.delen[name].assen.some(function (axis) {
        return axis[0] === question && axis[1][option] !== axis[1][0];
      });
    });
  }

  /* The answered questions whose answer changes nothing: skipped, every part looks up the same. */
  function withoutEffect(data, options) {
    var found = [];
    options.forEach(function (option, q) {
      if (option <= 0) { return; }
      var skipped = options.slice();
      skipped[q] = 0;
      var same = Object.keys(data.delen).every(function (name) {
        return JSON.stringify(part(data, name, skipped)) === JSON.stringify(part(data, name, options));
      });
      if (same) { found.push(data.vragen[q][0]); }
    });
    return found;
  }

  function lookup(data, answers) {
    var options = optionsOf(data, answers);
    function text(i) { return data.teksten[i]; }
    function optText(i) { return i < 0 ? null : data.teksten[i]; }
    function org(i) {
      var o = data.orgs[i];
      return { id: o[0], naam: o[1], pagina: o[2], toegang: o[3].map(text), website: o[4],
               aanmelden: optText(o[5]), wachttijd: optText(o[6]), meenemen: optText(o[7]),
               overdracht: o[8].map(text), vraag: optText(o[9]), bereikbaar: o[10] === 1 };
    }
    function item(i) {
      var it = data.items[i];
      var o = org(it[0]);
      o.redenen = it[1].map(text);
      o.ook_mogelijk = it[1].length === 0;
      o.let_op = it[2].map(text);
      return o;
    }
    function short(i) {
      var o = org(i);
      return { id: o.id, naam: o.naam, pagina: o.pagina };
    }
    function firstStep(e) {
      if (e[0] < 0) {
        return { id: null, naam: null, pagina: null, toegang: [], website: null, aanmelden: null, wachttijd: null,
                 meenemen: null, overdracht: [], bereikbaar: false, via: [], warme_overdracht: false, daarna: null,
                 vraag: optText(e[4]) };
      }
      var o = org(e[0]);
      o.via = e[3].map(short);
      o.warme_overdracht = e[1] === 1;
      o.daarna = e[2] >= 0 ? short(e[2]) : null;
      return o;
    }
    function step(s) {
      var o = org(s[0]);
      return { id: o.id, naam: o.naam, pagina: o.pagina, warme_overdracht: s[1] === 1, wanneer: optText(s[2]) };
    }
    var orgs = numbers(data, "organisaties", options);  /* meer first, then the listed items */
    var route = part(data, "route", options);
    var stappen = route[0].map(step);
    return {
      gemeente: data.gemeente,
      eerste_stap: firstStep(part(data, "eerste_stap", options)),
      organisaties: orgs.slice(1).map(item),
      meer_organisaties: orgs[0],
      route: stappen.map(function (s) { return s.id; }),
      route_naam: optText(route[1]),
      route_stappen: stappen,
      vervolg: route[2].map(step),
      termijn: part(data, "termijn", options),
      instrumenten: part(data, "instrumenten", options),
      landelijk: numbers(data, "landelijk", options).map(item),
      gat: part(data, "gat", options).map(text).join(" ") || null,
      geen_effect: withoutEffect(data, options)
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
    copy.querySelectorAll(".kk-vw-uitleg, .kk-vw-geen-verschil").forEach(function (span) { span.remove(); });
    return copy.textContent.trim();
  }

  function fieldsetName(fieldset) {
    return fieldset.getAttribute("data-naam") || fieldset.querySelector("legend").textContent.trim();
  }

  function summary() {
    var parts = [];
    form.querySelectorAll("fieldset").forEach(function (fieldset) {
      var chosen = [];
      fieldset.querySelectorAll("input:checked").forEach(function (input) {
        if (input.value) { chosen.push(labelText(input)); }
      });
      if (chosen.length) {
        parts.push(fieldsetName(fieldset) + ": " + chosen.join(", "));
      }
    });
    return parts.length ? parts.join("; ") : "geen (alle vragen overgeslagen)";
  }

  /* The input of a question key (vragen in the page file) with a given option value. */
  function inputFor(key, value) {
    var name = key.indexOf("doelgroep.") === 0 ? "doelgroep" : key;
    var wanted = key.indexOf("doelgroep.") === 0 ? key.slice(10) : value;
    var found = null;
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      if (input.value === wanted) { found = input; }
    });
    return found;
  }

  /* An answer in words, from the form: "Vertrouwen in hulp: Weinig vertrouwen". */
  function answerText(key, answers) {
    var input = inputFor(key, optionValue(key, answers));
    if (!input) { return key; }
    var fieldset = input.closest("fieldset");
    return (fieldset ? fieldsetName(fieldset) + ": " : "") + labelText(input);
  }

  /* In the form: the options that make no difference in the chosen municipality. */
  function markOptions(data) {
    form.querySelectorAll(".kk-vw-geen-verschil").forEach(function (node) { node.remove(); });
    if (!data) { return; }
    data.vragen.forEach(function (q, question) {
      q[1].forEach(function (value, option) {
        if (option === 0 || makesDifference(data, question, option)) { return; }
        var input = inputFor(q[0], value);
        var label = input && form.querySelector('label[for="' + input.id + '"]');
        if (label) { label.appendChild(el("span", "Maakt in deze gemeente geen verschil.", "kk-vw-geen-verschil")); }
      });
    });
  }

  function referLines(o, parent) {
    var how = el("p", null, "kk-vw-aanmelden");
    how.appendChild(el("strong", "Aanmelden: "));
    how.appendChild(document.createTextNode(o.aanmelden || o.vraag || ""));
    parent.appendChild(how);
    [["Wachttijd: ", o.wachttijd], ["Meenemen: ", o.meenemen],
     ["Warme overdracht mogelijk: ", o.overdracht.length ? o.overdracht.join("; ") : null]].forEach(function (pair) {
      if (!pair[1]) { return; }
      var p = el("p", null, "kk-vw-aanmelden");
      p.appendChild(el("strong", pair[0]));
      p.appendChild(document.createTextNode(pair[1]));
      parent.appendChild(p);
    });
  }

  function orgList(orgs, start, national) {
    var list = el("ol", null, national ? "kk-vw-lijst kk-vw-landelijk" : "kk-vw-lijst");
    if (start > 1) { list.start = start; }
    orgs.forEach(function (o) {
      var li = el("li");
      var name = el("p", null, "kk-vw-naam");
      name.appendChild(siteLink(o.pagina, o.naam));
      li.appendChild(name);
      if (o.redenen.length) {
        var reasons = el("ul", null, "kk-vw-redenen");
        o.redenen.forEach(function (r) { reasons.appendChild(el("li", r)); });
        li.appendChild(reasons);
      }
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
      if (!national || o.aanmelden) { referLines(o, li); }
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

  /* The first block: the first step of the route that applies, or whom to ask. */
  function firstStep(stap, urgent) {
    var box = el("div", null, "kk-vw-eerste-stap");
    box.id = "kk-vw-eerste-stap";
    box.appendChild(el("h3", "Eerste stap"));
    if (!stap.id) {
      box.appendChild(el("p", stap.vraag));
      return box;
    }
    var who = el("p", null, "kk-vw-naam");
    who.appendChild(document.createTextNode("Neem contact op met "));
    who.appendChild(siteLink(stap.pagina, stap.naam));
    who.appendChild(document.createTextNode("."));
    box.appendChild(who);
    var how = el("p");
    how.appendChild(el("strong", "Hoe: "));
    how.appendChild(document.createTextNode(stap.toegang.join("; ")));
    if (stap.website) {
      how.appendChild(document.createTextNode(" · "));
      how.appendChild(webLink(stap.website, stap.website));
    }
    box.appendChild(how);
    if (!stap.bereikbaar && stap.via.length) {
      var via = el("p");
      via.appendChild(el("strong", "Verwijzers in de keten: "));
      stap.via.forEach(function (v, i) {
        if (i) { via.appendChild(document.createTextNode(", ")); }
        via.appendChild(siteLink(v.pagina, v.naam));
      });
      box.appendChild(via);
    }
    referLines(stap, box);
    if (stap.daarna) {
      var next = el("p");
      next.appendChild(el("strong", "Daarna: "));
      next.appendChild(siteLink(stap.daarna.pagina, stap.daarna.naam));
      next.appendChild(document.createTextNode(stap.warme_overdracht ? " (warme overdracht)."
        : "; een warme overdracht staat niet in de gegevens."));
      box.appendChild(next);
    }
    if (urgent) {
      box.appendChild(el("p", "Zeg bij de aanmelding dat het dringend is: het eerste gesprek moet dan binnen 3 werkdagen zijn.", "kk-vw-let-op"));
    }
    return box;
  }

  /* The advice for the help seeker: plain words, one A4, no personal data. */
  function clientView(answer, urgent, hash) {
    var stap = answer.eerste_stap;
    var box = el("section", null, "kk-vw-hulpvrager");
    box.id = "kk-vw-hulpvrager";
    box.setAttribute("aria-labelledby", "kk-vw-hulpvrager-kop");
    var heading = el("h2", "Uw advies: hulp bij geldzaken in " + answer.gemeente.naam);
    heading.id = "kk-vw-hulpvrager-kop";
    box.appendChild(heading);
    box.appendChild(el("h3", "Waar gaat u heen?"));
    if (stap.id) {
      box.appendChild(el("p", stap.naam, "kk-vw-naam"));
      box.appendChild(el("h3", "Hoe?"));
      /* the ways in a help seeker can use without a referral (the labels of the vocabulary) */
      var own = stap.toegang.filter(function (t) { return t !== "Alleen na verwijzing" && t.indexOf("Niet bekend") !== 0; });
      if (stap.bereikbaar && own.length) {
        box.appendChild(el("p", "U kunt hier zelf terecht: " + own.join("; ").toLowerCase() + "."));
        if (stap.website) { box.appendChild(el("p", "Website: " + stap.website)); }
      } else {
        box.appendChild(el("p", "Uw hulpverlener meldt u hier aan. U hoeft zelf niets te doen."));
      }
      if (stap.daarna) {
        box.appendChild(el("p", "Daarna helpt " + stap.daarna.naam + " u verder." +
          (stap.warme_overdracht ? " Uw gegevens gaan mee. U hoeft uw verhaal niet opnieuw te vertellen." : "")));
      }
    } else {
      box.appendChild(el("p", "Vraag uw hulpverlener waar u zich kunt aanmelden."));
    }
    box.appendChild(el("h3", "Wat neemt u mee?"));
    box.appendChild(el("p", stap.meenemen || "Vraag bij de aanmelding wat u mee moet nemen."));
    box.appendChild(el("h3", "Hoe snel?"));
    if (urgent) {
      box.appendChild(el("p", "Het is dringend. Zeg dat bij de aanmelding. Meldt u zich bij de gemeente voor hulp bij schulden? Dan heeft u binnen 3 werkdagen een eerste gesprek."));
    } else {
      box.appendChild(el("p", "Meldt u zich bij de gemeente voor hulp bij schulden? Dan heeft u binnen 4 weken een eerste gesprek. Is het dringend, bijvoorbeeld omdat u uit uw huis moet of wordt afgesloten van gas, licht of water? Dan binnen 3 werkdagen."));
    }
    if (stap.wachttijd) { box.appendChild(el("p", "Wachttijd bij " + stap.naam + ": " + stap.wachttijd)); }
    box.appendChild(el("p", "Dit staat in de Wet gemeentelijke schuldhulpverlening (Wgs).", "kk-vw-klein"));
    box.appendChild(el("p", "Dit advies bevat geen naam of andere gegevens over u. Het is nergens opgeslagen.", "kk-vw-klein"));
    var actions = shareAndPrint("kk-vw-acties kk-vw-hulpvrager-acties", hash, "Link naar dit advies voor de hulpvrager",
                                "kk-vw-link-hulpvrager", "", "Afdrukken voor de hulpvrager", function () {
      document.documentElement.classList.add("kk-vw-print-hulpvrager");
      window.print();
    });
    actions.lastChild.id = "kk-vw-print-hulpvrager";
    box.appendChild(actions);
    return box;
  }

  // A link to share the advice and a print button, as used under the advice and the client view.
  function shareAndPrint(className, hash, linkText, linkId, note, printText, onPrint) {
    var actions = el("div", null, className);
    var share = el("p");
    var link = el("a", linkText);
    link.id = linkId;
    link.href = hash;
    share.appendChild(link);
    if (note) { share.appendChild(document.createTextNode(note)); }
    actions.appendChild(share);
    var print = el("button", printText, "md-button");
    print.type = "button";
    print.addEventListener("click", onPrint);
    actions.appendChild(print);
    return actions;
  }

  function render(answer, answers, toAdvice) {
    var hash = toHash(answers);
    var urgent = answers.urgent === "ja";
    var box = document.createDocumentFragment();
    var advies = el("div", null, "kk-vw-advies");
    var heading = el("h2", "Advies voor " + answer.gemeente.naam);
    heading.id = "kk-vw-advies";
    heading.tabIndex = -1;
    advies.appendChild(heading);
    advies.appendChild(el("p", "Uw antwoorden: " + summary(), "kk-vw-samenvatting"));
    var toClient = el("p", null, "kk-vw-naar-hulpvrager");
    var clientLink = el("a", "Naar het advies voor de hulpvrager");
    clientLink.href = toHash(answers, "hulpvrager");
    toClient.appendChild(clientLink);
    advies.appendChild(toClient);

    advies.appendChild(firstStep(answer.eerste_stap, urgent));

    if (answer.gat) {
      var warning = el("div", null, "admonition warning kk-vw-gat");
      warning.appendChild(el("p", "Gat in de keten", "admonition-title"));
      warning.appendChild(el("p", answer.gat));
      advies.appendChild(warning);
    }

    var own = answer.organisaties.filter(function (o) { return !o.ook_mogelijk; });
    var also = answer.organisaties.filter(function (o) { return o.ook_mogelijk; });
    advies.appendChild(el("h3", "Organisaties die passen"));
    if (own.length) {
      advies.appendChild(el("p", "De beste eerst. Bij elke organisatie staat waarom zij past."));
      advies.appendChild(orgList(own, 1));
    } else {
      advies.appendChild(el("p", also.length ? "Geen organisatie past in het bijzonder bij uw antwoorden."
        : "Geen organisatie in de keten past bij deze antwoorden."));
    }
    if (also.length) {
      advies.appendChild(el("h3", "Ook mogelijk"));
      advies.appendChild(el("p", "Geen van uw antwoorden wijst speciaal naar deze organisaties, maar ze sluiten hen ook niet uit."));
      var alsoList = orgList(also, own.length + 1);
      alsoList.classList.add("kk-vw-ook");
      advies.appendChild(alsoList);
    }
    if (answer.meer_organisaties) {
      var more = el("p", "En nog " + answer.meer_organisaties + " andere organisaties: zie ");
      more.appendChild(siteLink(answer.gemeente.pagina, "de ketenpagina"));
      more.appendChild(document.createTextNode("."));
      advies.appendChild(more);
    }

    advies.appendChild(el("h3", "Route in de keten"));
    if (answer.route_naam) { advies.appendChild(el("p", answer.route_naam)); }
    if (answer.route_stappen.length) {
      var steps = el("ol", null, "kk-vw-route");
      answer.route_stappen.forEach(function (s) { steps.appendChild(routeStep(s)); });
      advies.appendChild(steps);
    } else {
      advies.appendChild(el("p", "Deze keten heeft geen vaste route en geen centraal toegangspunt."));
    }
    if (answer.vervolg.length) {
      var last = answer.route_stappen[answer.route_stappen.length - 1];
      advies.appendChild(el("p", "Daarna verwijst " + (last ? last.naam : "de keten") + " door naar een van deze organisaties:"));
      var next = el("ul", null, "kk-vw-vervolg");
      answer.vervolg.forEach(function (s) { next.appendChild(routeStep(s)); });
      advies.appendChild(next);
    }

    advies.appendChild(el("h3", "Termijn"));
    var term = el("p");
    term.appendChild(el("strong", "Eerste gesprek binnen " + answer.termijn.termijn + "."));
    advies.appendChild(term);
    advies.appendChild(el("p", answer.termijn.uitleg));
    var source = el("p", "Bron: ");
    source.appendChild(siteLink(answer.termijn.pagina, answer.termijn.bron));
    advies.appendChild(source);

    advies.appendChild(el("h3", "Instrumenten"));
    if (answer.instrumenten.length) {
      var tools = el("ul", null, "kk-vw-instrumenten");
      answer.instrumenten.forEach(function (i) {
        var li = el("li");
        li.appendChild(siteLink(i.pagina, i.naam));
        li.appendChild(document.createTextNode(": " + i.reden));
        tools.appendChild(li);
      });
      advies.appendChild(tools);
    } else {
      advies.appendChild(el("p", "Geen instrument in het bijzonder bij deze antwoorden."));
    }

    advies.appendChild(el("h3", "Landelijke diensten"));
    if (answer.landelijk.length) {
      advies.appendChild(el("p", "Voor als de keten geen passende hulp heeft:"));
      advies.appendChild(orgList(answer.landelijk, 1, true));
    } else {
      advies.appendChild(el("p", "Geen landelijke dienst past bij deze antwoorden."));
    }

    if (answer.geen_effect.length) {
      advies.appendChild(el("h3", "Antwoorden zonder effect"));
      advies.appendChild(el("p", "Deze antwoorden maken in " + answer.gemeente.naam + " geen verschil bij uw andere antwoorden:"));
      var none = el("ul", null, "kk-vw-geen-effect");
      answer.geen_effect.forEach(function (key) { none.appendChild(el("li", answerText(key, answers))); });
      advies.appendChild(none);
    }

    var actions = shareAndPrint("kk-vw-acties", hash, "Link naar dit advies", "kk-vw-link",
                                " (om te delen of te bewaren; de link bevat uw antwoorden, geen namen)", "Afdrukken",
                                function () { window.print(); });
    var chain = el("p");
    chain.appendChild(siteLink(answer.gemeente.pagina, "Bekijk de hele keten van " + answer.gemeente.naam));
    actions.appendChild(chain);
    advies.appendChild(actions);
    box.appendChild(advies);

    var client = clientView(answer, urgent, toHash(answers, "hulpvrager"));
    box.appendChild(client);
    var whole = el("p", null, "kk-vw-heel-advies");
    var back = el("a", "Toon het hele advies en de vragen");
    back.href = hash;
    whole.appendChild(back);
    client.appendChild(whole);

    explainAbbreviations(advies);
    explainAbbreviations(client);
    result.replaceChildren(box);
    var html = document.documentElement;
    html.classList.add("kk-vw-heeft-advies");
    html.classList.toggle("kk-vw-voor-hulpvrager", answers.voor === "hulpvrager");
    if (toAdvice) {
      var target = answers.voor === "hulpvrager" ? client.querySelector("h2") : heading;
      target.tabIndex = -1;
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }
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
    document.documentElement.classList.remove("kk-vw-heeft-advies", "kk-vw-voor-hulpvrager");
  }

  function show(answers, toAdvice) {
    result.setAttribute("aria-busy", "true");
    return load(answers.gemeente).then(function (data) {
      markOptions(data);
      render(lookup(data, answers), answers, toAdvice);
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
    checked.voor = answers.voor;
    if (checked.gemeente) {
      gemeenteError(false);
      show(checked, true);
    } else if (answers.gevraagd) {
      message("De gemeente uit de link (" + answers.gevraagd + ") staat niet in de lijst. Kies een gemeente.", false);
    } else {
      result.replaceChildren();
      document.documentElement.classList.remove("kk-vw-heeft-advies", "kk-vw-voor-hulpvrager");
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
    show(answers, true);
  });
  select.addEventListener("change", function () {
    if (select.value) {
      gemeenteError(false);
      load(select.value).then(markOptions, function () { markOptions(null); });
    } else {
      markOptions(null);
    }
  });
  window.addEventListener("afterprint", function () {
    document.documentElement.classList.remove("kk-vw-print-hulpvrager");
  });
  /* For the tests: the same lookup the page uses, on any profile. */
  window.ketenkaartVerwijswijzer = { load: load, lookup: lookup };
  window.addEventListener("popstate", restore);
  window.addEventListener("hashchange", restore);
  if (location.hash.length > 1) { restore(); }
}());
