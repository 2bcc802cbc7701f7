
/* Ketenkaart: Dutch word forms in the site search (appended by generator/render/site.py to the
 * theme's own lunr.nl.min.js, which the search worker loads for `lang: nl`).
 * Material for MkDocs adds a trailing wildcard to every search term ("vrijwilligers" becomes
 * "vrijwilligers*") and lunr does not stem wildcard terms, so a plural never found a page that
 * has only the singular. Here such a term is first cut back to its Dutch stem: "schulden*"
 * becomes "schuld*", which finds schuld, schulden and schuldhulp alike. Only a stem that is the
 * start of the typed word is used: the stemmer also drops accents ("cliënt" -> "client"),
 * and the index keeps them. */
(function (lunr) {
  "use strict";
  if (!lunr || !lunr.nl || !lunr.nl.stemmer || lunr.Query.prototype.ketenkaartWoordvormen) { return; }
  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.clause = function (c) {
    var match = c && typeof c.term === "string" ? /^([^*]{4,})\*$/.exec(c.term) : null;
    if (match) {
      var stem = lunr.nl.stemmer(new lunr.Token(match[1], {})).toString();
      if (stem.length >= 3 && match[1].indexOf(stem) === 0) { c.term = stem + "*"; }
    }
    return clause.call(this, c);
  };
  lunr.Query.prototype.ketenkaartWoordvormen = true;
})(typeof self !== "undefined" ? self.lunr : undefined);
