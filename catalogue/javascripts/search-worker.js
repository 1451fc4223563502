// Material's search worker, with accents folded and the words makers use understood. Material's page starts this
// worker in place of its own (overrides/main.html rewrites the worker's address and names Material's file in
// ?material=). This file loads Material's worker unchanged, then:
// - folds every word the index holds and every word of a query to its letters without accents, in both languages
//   ("visière", "visiere" and "VISIÈRE" are one word; "élastique" is found by "elastique");
// - adds to a query the catalogue's own words for the words makers use (search-words.js: "plexiglas" also looks for
//   "acrylique"), so a maker's word reaches the right design.
// Highlighting is untouched: Material highlights by position in the original text, not by the folded word.
(function () {
  "use strict";

  var name = new URL(self.location.href).searchParams.get("material") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(name)) throw new Error("search-worker.js: ?material= names no Material worker");
  var material = new URL("../assets/javascripts/workers/" + name, self.location.href);

  // Material loads its language files relative to its own address ("../lunr/…"), not this file's.
  var load = self.importScripts.bind(self);
  self.importScripts = function () {
    return load.apply(null, Array.prototype.map.call(arguments, function (url) { return new URL(url, material).href; }));
  };

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/œ/g, "oe").replace(/æ/g, "ae")
      .replace(/Œ/g, "OE").replace(/Æ/g, "AE");
  }

  // Capture Material's message handler, to put ours in front of it.
  var handlers = [], listen = self.addEventListener.bind(self);
  self.addEventListener = function (type, handler) {
    if (type === "message") handlers.push(handler);
    else listen.apply(null, arguments);
  };
  load(material.href);
  load(new URL("search-words.js", self.location.href).href);
  self.addEventListener = listen;

  // Every token lunr makes (Material's tokenizer, the query's terms) is folded.
  var lunr = self.lunr, Token = lunr.Token;
  function FoldedToken(str, metadata) { Token.call(this, fold(str), metadata); }
  FoldedToken.prototype = Token.prototype;
  lunr.Token = FoldedToken;

  var language = "en", SETUP = 0, QUERY = 2;

  // A query's words, folded, each followed by its singular (the index is not stemmed: "visieres" also looks for
  // "visiere") and by the catalogue's words for it, if it is a maker's word.
  function widened(query) {
    var words = (self.SEARCH_WORDS || {})[language] || {};
    return fold(query).split(/(\s+)/).map(function (part) {
      var key = part.toLowerCase().replace(/^[+\-]/, "").replace(/[*~^\d]*$/, "");
      var singular = /^[a-z]{4,}s$/.test(key) && /^[a-z]/i.test(part) ? key.slice(0, -1) : null;
      var more = (words[key] || words[singular] || []).concat(singular ? [singular] : []);
      return more.length ? part + " " + more.join(" ") : part;
    }).join("");
  }

  listen("message", function (event) {
    var message = event.data;
    if (message && message.type === SETUP) language = (message.data.config.lang || ["en"])[0];
    if (message && message.type === QUERY && typeof message.data === "string") {
      message = { type: QUERY, data: widened(message.data) };
    }
    handlers.forEach(function (handler) { handler({ data: message }); });
  });
})();
