// The words makers use, per language, and the catalogue's own words search-worker.js adds to a query that has one:
// a sheet is "acétate", "rhodoïd", "PET" or "plexiglas" in a workshop, "PETG sheet" or "acrylic" on a design page.
// Keys are written without accents and in lower case (the worker folds the query the same way); the values are
// words the right designs' pages use. Add a line when a maker's word finds nothing.
self.SEARCH_WORDS = {
  en: {
    acetate: ["visor", "sheet"], rhodoid: ["visor", "sheet"], pet: ["visor", "sheet"], transparency: ["visor", "sheet"],
    overhead: ["visor", "sheet"], vivak: ["visor", "sheet"], polycarbonate: ["visor", "sheet"],
    plexiglas: ["acrylic", "visor"], plexiglass: ["acrylic", "visor"], pmma: ["acrylic", "visor"],
    perspex: ["acrylic", "visor"], lucite: ["acrylic", "visor"],
    "face": ["visor"], shield: ["visor"], faceshield: ["visor"],
    rubber: ["elastic"], "rubber-band": ["elastic"],
    extender: ["ear", "saver"], earsaver: ["ear", "saver"], "mask-extender": ["ear", "saver"],
    snorkel: ["snorkel", "adapter"], decathlon: ["snorkel"], easybreath: ["snorkel"], charlotte: ["snorkel"],
    hook: ["door", "opener"], handle: ["door", "opener"]
  },
  fr: {
    acetate: ["visiere", "feuille"], rhodoid: ["visiere", "feuille"], rhodoide: ["visiere", "feuille"],
    pet: ["visiere", "feuille"], transparent: ["visiere", "feuille"], polycarbonate: ["visiere", "feuille"],
    plexiglas: ["acrylique", "visiere"], plexiglass: ["acrylique", "visiere"], plexi: ["acrylique", "visiere"],
    pmma: ["acrylique", "visiere"], altuglas: ["acrylique", "visiere"], perspex: ["acrylique", "visiere"],
    ecran: ["visiere"], caoutchouc: ["elastique"],
    "cache-oreilles": ["attache", "masque"], "protege-oreilles": ["attache", "masque"], oreilles: ["attache"],
    tuba: ["plongee", "adaptateur"], decathlon: ["plongee"], easybreath: ["plongee"], charlotte: ["plongee"],
    poignee: ["ouvre", "porte"], crochet: ["ouvre", "porte"]
  }
};
