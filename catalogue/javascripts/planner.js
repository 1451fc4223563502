// The production planner (planner.md): designs and quantities, printers and lasers of each kind, the hours each kind
// works a day -> the days the order takes with every machine working in parallel, each machine's share, the filament
// and the shopping list. Reads production.json (printers, bills of materials), cutting.json (lasers) and sewing.json
// (sewers: minutes per mask), which the build
// writes beside catalogue.json at the site's root (one copy for both languages); nothing else is fetched. Its words and
// numbers follow the page's language (<html lang>). The plan lives in the address (#plan=…), so a reload or a shared
// link gives the same plan.
(function () {
  "use strict";

  var script = document.currentScript;
  // <lang>/javascripts/planner.js → the site's root
  var dataUrl = new URL("../../production.json", script ? script.src : window.location.href);
  var cuttingUrl = new URL("../../cutting.json", script ? script.src : window.location.href);
  var sewingUrl = new URL("../../sewing.json", script ? script.src : window.location.href);
  var LASER = "laser-";  // a laser's input is named laser-<profile>, a printer's <profile>
  var MAX_PARTS = 1000000, MAX_MACHINES = 10000;  // beyond these a figure is a typing slip, not an order
  var lang = (document.documentElement.lang || "en").slice(0, 2) === "fr" ? "fr" : "en";

  function tr(en, fr) {
    return lang === "fr" ? fr : en;
  }

  function number(value, digits) {
    return value.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function text(value) {
    return value ? (lang === "fr" && value.fr ? value.fr : value.en) : "";
  }

  // --- reading what the user typed ------------------------------------------------------------------------------

  // A field's number, or why it cannot be used: {value} or {problem}. `whole`: parts and machines come whole;
  // `zero`: what 0 means for this field (a message, or null when 0 is a normal answer).
  function reading(raw, limits) {
    // thousands written the language's way (1,000 / 1 000 or 1.000); a decimal comma in French
    var written = raw.trim().replace(/[\s\u00a0\u202f]/g, "");
    if (lang === "fr") written = (/^\d{1,3}(\.\d{3})+$/.test(written) ? written.replace(/\./g, "") : written).replace(",", ".");
    else written = /^\d{1,3}(,\d{3})+(\.\d*)?$/.test(written) ? written.replace(/,/g, "") : written.replace(",", ".");
    if (written === "") return { problem: limits.empty };
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(written)) {
      return { problem: tr("“" + raw.trim() + "” is not a number: write it in digits.",
                           "« " + raw.trim() + " » n’est pas un nombre : écrivez-le en chiffres.") };
    }
    var value = Number(written);
    if (value < 0) return { problem: limits.negative };
    if (value === 0) return limits.zero ? { problem: limits.zero, value: 0 } : { value: 0 };
    if (limits.whole && value !== Math.floor(value)) {
      return { problem: tr(raw.trim() + " is not a whole number: " + limits.wholeWhat + " are counted whole.",
                           raw.trim() + " n’est pas un nombre entier : " + limits.wholeWhat + " se comptent en nombres entiers.") };
    }
    if (value > limits.max) return { problem: limits.above };
    return { value: value };
  }

  var PARTS = {
    whole: true, max: MAX_PARTS, wholeWhat: tr("parts", "les pièces"),
    empty: tr("How many parts? This row is left out until it has a number.",
              "Combien de pièces ? Cette ligne reste hors du plan tant qu’elle n’a pas de nombre."),
    negative: tr("A negative number of parts cannot be made: this row is left out.",
                 "Un nombre négatif de pièces ne se fabrique pas : cette ligne reste hors du plan."),
    zero: tr("0 parts: this row is left out of the plan.", "0 pièce : cette ligne reste hors du plan."),
    above: tr("More than 1,000,000 parts: check the number (this row is left out).",
              "Plus de 1 000 000 de pièces : vérifiez le nombre (cette ligne reste hors du plan).")
  };
  var MACHINES = {
    whole: true, max: MAX_MACHINES, wholeWhat: tr("machines", "les machines"), zero: null,
    empty: tr("How many? Counted as none until it has a number.", "Combien ? Compté comme aucune tant qu’il n’y a pas de nombre."),
    negative: tr("A negative number of machines: counted as none.", "Un nombre négatif de machines : compté comme aucune."),
    above: tr("More than 10,000 machines: check the number (counted as none).",
              "Plus de 10 000 machines : vérifiez le nombre (compté comme aucune).")
  };
  var HOURS = {
    whole: false, max: 24, zero: tr("0 hours a day: this machine makes nothing.", "0 heure par jour : cette machine ne fabrique rien."),
    empty: tr("How many hours a day? This machine is left out until it has a number.",
              "Combien d’heures par jour ? Cette machine reste hors du plan tant qu’il n’y a pas de nombre."),
    negative: tr("Negative hours: this machine is left out.", "Des heures négatives : cette machine reste hors du plan."),
    above: tr("A day has 24 hours: this machine is left out.", "Une journée a 24 heures : cette machine reste hors du plan.")
  };

  // --- the catalogue's figures ----------------------------------------------------------------------------------

  // One entry per design variant (every one: those the slicer measured, those with only a bill of materials, those
  // cut on a laser), with its printers' runs, its lasers' figures and its bill of materials (any may be empty).
  function options(data, cutting, sewing) {
    var list = [], byId = {};
    function item(design, name) {
      var id = design.slug + "/" + name;
      if (!byId[id]) {
        var described = text((design.variant_titles || {})[name]).replace(/\.$/, "");
        byId[id] = { id: id, slug: design.slug, category: design.category || "", title: tr(design.title, design.title_fr),
                     variant: name, label: tr(design.title, design.title_fr) + " — " + (described || name),
                     runs: {}, lasers: {}, bom: [] };
        list.push(byId[id]);
      }
      return byId[id];
    }
    data.designs.forEach(function (design) {
      var names = design.variant_names || design.variants.map(function (variant) { return variant.name; });
      names.forEach(function (name) { item(design, name).bom = (design.bom || {})[name] || []; });
      design.variants.forEach(function (variant) { item(design, variant.name).runs = variant.runs; });
    });
    cutting.designs.forEach(function (design) {
      design.variants.forEach(function (variant) { item(design, variant.name).lasers = variant.lasers; });
    });
    sewing.designs.forEach(function (design) {  // sewn designs: minutes per mask (sewing.json)
      design.variants.forEach(function (variant) { item(design, variant.name).sewing = variant; });
    });
    // in the site's order of categories (visors first), then as the build listed them
    var order = (data.categories || []).map(function (c) { return c.name; });
    function rank(item) { var at = order.indexOf(item.category); return at < 0 ? order.length : at; }
    return list.map(function (item, at) { return [rank(item), at, item]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (triple) { return triple[2]; });
  }

  // The order a new plan starts with: the first design one assembles (its bill of materials lists items to buy), a
  // whole visor rather than a spare clip.
  function firstOrder(items) {
    return items.find(function (item) { return item.bom.some(function (line) { return line.kind === "item"; }); }) || items[0];
  }

  // Every reference machine: printers (24 h a day of plates) then lasers (their attended hours), smallest first.
  function machineKinds(data, cutting, sewing) {
    var kinds = Object.keys(data.printers).sort().map(function (name) {
      var facts = data.printers[name];
      return { name: name, title: tr(facts.title, facts.title_fr), hours: 24, kind: "printer",
               perDay: function (item) { var run = item.runs[name]; return run ? run.units_per_printer_per_day : 0; },
               grams: function (item) {
                 var run = item.runs[name];
                 return run ? run.full_plate.filament_g / (run.copies_per_plate * run.parts_per_copy) : 0;
               } };
    });
    Object.keys(cutting.lasers)
      .sort(function (a, b) { return cutting.lasers[a].power_w - cutting.lasers[b].power_w; })
      .forEach(function (name) {
        var facts = cutting.lasers[name];
        kinds.push({ name: LASER + name, title: tr(facts.title, facts.title_fr), hours: facts.attended_hours_per_day,
                     kind: "laser",
                     perDay: function (item) { var cut = item.lasers[name]; return cut ? cut.units_per_laser_per_day : 0; },
                     grams: function () { return 0; } });
      });
    if (sewing.sewer) {  // people who sew: their hours a day over each sewn design's minutes per mask
      kinds.push({ name: "sewers", title: tr(sewing.sewer.title, sewing.sewer.title_fr), hours: sewing.sewer.hours_per_day,
                   kind: "sewer", label: tr("People", "Personnes"),
                   hoursLabel: tr("Hours each sews a day", "Heures de couture par jour et par personne"),
                   perDay: function (item) {
                     return item.sewing ? sewing.sewer.hours_per_day * 60 / item.sewing.minutes_per_mask : 0;
                   },
                   grams: function () { return 0; } });
    }
    return kinds;
  }

  // --- the plan: every machine at work at once ------------------------------------------------------------------

  // The largest λ such that λ × every order can be made in one day: maximise λ under, for each design i,
  // λ·1 − Σ_j (R_ij / q_i)·y_ij ≤ 0 and, for each kind of machine j, Σ_i y_ij ≤ 1, where y_ij is the share of kind j's
  // day spent on design i and R_ij what all of kind j make of it in a full day. Simplex with Bland's rule (no cycling);
  // every constraint is ≤ with b ≥ 0, so the origin is a start. The order then takes 1/λ days, and kind j makes
  // R_ij·y_ij/λ of design i: the slowest machine finishes at 1/λ, the others earlier.
  function fastestPlan(demands, rates) {
    var designs = demands.length, kinds = rates[0].length, pairs = [];
    for (var i = 0; i < designs; i++) for (var j = 0; j < kinds; j++) if (rates[i][j] > 0) pairs.push([i, j]);
    var columns = 1 + pairs.length, rows = designs + kinds, width = columns + rows + 1, EPS = 1e-12;
    var table = [], basis = [];
    for (var r = 0; r < rows; r++) {
      var line = new Array(width).fill(0);
      if (r < designs) line[0] = 1;
      pairs.forEach(function (pair, k) {
        if (r < designs && pair[0] === r) line[1 + k] = -rates[pair[0]][pair[1]] / demands[r];
        if (r >= designs && pair[1] === r - designs) line[1 + k] = 1;
      });
      line[columns + r] = 1;
      line[width - 1] = r < designs ? 0 : 1;
      table.push(line);
      basis.push(columns + r);
    }
    var objective = new Array(width).fill(0);
    objective[0] = -1;  // maximise λ: reduced costs of -c
    for (var step = 0; step < 10000; step++) {
      var enter = -1;
      for (var c = 0; c < width - 1; c++) if (objective[c] < -EPS) { enter = c; break; }
      if (enter < 0) break;
      var leave = -1, best = Infinity;
      for (r = 0; r < rows; r++) {
        if (table[r][enter] > EPS) {
          var ratio = table[r][width - 1] / table[r][enter];
          if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[r] < basis[leave])) { best = ratio; leave = r; }
        }
      }
      if (leave < 0) return null;  // unbounded: a design no machine makes (excluded before)
      var pivot = table[leave][enter];
      for (c = 0; c < width; c++) table[leave][c] /= pivot;
      [objective].concat(table).forEach(function (other, index) {
        if (index - 1 === leave) return;
        var factor = other[enter];
        if (factor !== 0) for (var cc = 0; cc < width; cc++) other[cc] -= factor * table[leave][cc];
      });
      basis[leave] = enter;
    }
    var values = new Array(columns).fill(0);
    basis.forEach(function (column, r) { if (column < columns) values[column] = table[r][width - 1]; });
    var lambda = values[0];
    if (!(lambda > 0)) return null;
    var made = demands.map(function () { return new Array(kinds).fill(0); });
    var busy = new Array(kinds).fill(0);
    pairs.forEach(function (pair, k) {
      made[pair[0]][pair[1]] = rates[pair[0]][pair[1]] * values[1 + k] / lambda;
      busy[pair[1]] += values[1 + k] / lambda;
    });
    return { days: 1 / lambda, made: made, busy: busy };
  }

  // --- the shopping list ----------------------------------------------------------------------------------------

  // Each item's quantity per unit times the units ordered, summed across the designs (one line per item and
  // specification); printed parts in prints; what a part connects to is not bought.
  function shoppingList(orders) {
    var lines = {}, order = [];
    orders.forEach(function (entry) {
      entry.item.bom.forEach(function (line) {
        if (line.kind === "connects-to") return;
        var printed = line.kind === "printed";
        var name = printed ? entry.item.label : text(line.name);
        var key = [name, line.unit, text(line.specification), line.optional].join("|");
        if (!lines[key]) {
          lines[key] = { name: name, unit: printed ? "prints" : line.unit, optional: line.optional, open: false, total: 0,
                         specification: printed ? "" : text(line.specification), note: text(line.note) };
          order.push(key);
        }
        if (line.quantity_per_unit === null) lines[key].open = true;
        else lines[key].total += entry.quantity * (printed ? line.prints_per_unit : line.quantity_per_unit);
      });
    });
    return order.map(function (key) { return lines[key]; });
  }

  function amount(line) {
    if (line.open) return tr("left open", "laissé ouvert");
    if (line.unit === "mm") return number(line.total / 1000, 1) + "\u00a0m";
    if (line.unit === "g") return number(line.total / 1000, 2) + "\u00a0kg";
    if (line.unit === "ml") return number(line.total / 1000, 2) + "\u00a0l";
    if (line.unit === "prints") return number(line.total, 0) + tr(" prints", " impressions");
    return number(line.total, 0);
  }

  // A CSV cell: quoted, and a cell a spreadsheet would read as a formula starts with an apostrophe (contributor text).
  function csvCell(value) {
    var cell = String(value);
    if (/^[=+\-@\t\r]/.test(cell)) cell = "'" + cell;
    return "\"" + cell.replace(/"/g, "\"\"") + "\"";
  }

  function shoppingCsv(lines, kg) {
    var rows = [[tr("Item", "Élément"), tr("Quantity", "Quantité"), tr("Unit", "Unité"), tr("Specification", "Spécification"),
                 tr("Optional", "Facultatif")]];
    lines.forEach(function (line) {
      var quantity = line.open ? "" : (line.unit === "mm" ? line.total / 1000 : line.unit === "g" || line.unit === "ml"
        ? line.total / 1000 : line.total);
      var unit = line.open ? tr("left open", "laissé ouvert")
        : { mm: "m", g: "kg", ml: "l", prints: tr("prints", "impressions") }[line.unit] || line.unit;
      rows.push([line.name, quantity === "" ? "" : +quantity.toFixed(3), unit, line.specification,
                 line.optional ? tr("yes", "oui") : tr("no", "non")]);
    });
    if (kg > 0) rows.push([tr("Filament", "Filament"), +kg.toFixed(3), "kg", "", tr("no", "non")]);
    return "\ufeff" + rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  function listCell(label, entries) {
    var cell = element("td", { "data-label": label }), list = element("ul", { "class": "planner-made" });
    entries.forEach(function (entry) { list.appendChild(element("li", {}, entry)); });
    cell.appendChild(list);
    return cell;
  }

  // --- the page -------------------------------------------------------------------------------------------------

  function setUp(root, data, cutting, sewing) {
    var items = options(data, cutting, sewing), kinds = machineKinds(data, cutting, sewing), fields = 0;
    var byId = {};
    items.forEach(function (item) { byId[item.id] = item; });
    var orders = root.querySelector(".planner-orders");
    var machines = root.querySelector(".planner-printers");
    var result = root.querySelector(".planner-result");
    var shares = root.querySelector(".planner-shares tbody");
    var breakdown = root.querySelector(".planner-breakdown tbody");
    var shopping = root.querySelector(".planner-shopping tbody");
    var download = root.querySelector(".planner-csv");
    var csvUrl = null;

    function say(field, message) {
      var note = document.getElementById(field.id + "-message");
      note.textContent = message || "";
      note.hidden = !message;
      if (message) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }

    function fleet() {
      return kinds.map(function (kind) {
        var count = machines.querySelector("input[name='" + kind.name + "']");
        var hours = machines.querySelector("input[name='" + kind.name + "-hours']");
        var n = reading(count.value, MACHINES), h = reading(hours.value, HOURS);
        say(count, n.problem);
        say(hours, h.problem);
        var usable = n.problem === undefined && h.problem === undefined;
        return { kind: kind, count: usable ? n.value : 0, hours: usable ? h.value : 0 };
      });
    }

    function ordered() {
      var list = [];
      orders.querySelectorAll(".planner-order").forEach(function (row) {
        var select = row.querySelector("select"), count = row.querySelector("input");
        var parts = reading(count.value, PARTS);
        say(count, parts.problem);
        if (parts.problem === undefined) list.push({ item: byId[select.value], quantity: parts.value });
      });
      return list;
    }

    function remember(list, working) {
      var plan = "o=" + list.map(function (entry) { return entry.item.id + "*" + entry.quantity; }).join(",")
        + "&m=" + working.map(function (w) { return w.kind.name + "*" + w.count + "*" + w.hours; }).join(",");
      history.replaceState(null, "", "#plan=" + encodeURIComponent(plan));
    }

    function update() {
      var list = ordered(), working = fleet();
      remember(list, working);
      var planned = [], missing = [];
      list.forEach(function (entry) {
        var rates = working.map(function (w) { return w.count * entry.item.perDayOf(w); });
        if (rates.some(function (rate) { return rate > 0; })) planned.push({ entry: entry, rates: rates });
        else missing.push(entry.item.label);
      });
      var plan = planned.length ? fastestPlan(planned.map(function (p) { return p.entry.quantity; }),
                                              planned.map(function (p) { return p.rates; })) : null;
      var kg = 0;
      breakdown.textContent = "";
      shares.textContent = "";
      planned.forEach(function (p, i) {
        var grams = 0, where = [];
        working.forEach(function (w, j) {
          var parts = plan ? plan.made[i][j] : 0;
          if (parts < 0.5) return;
          grams += parts * w.kind.grams(p.entry.item);
          where.push(w.kind.title + tr(": ", " : ") + number(parts, 0));
        });
        kg += grams / 1000;
        var line = element("tr");
        line.appendChild(element("td", { "data-label": tr("Design", "Modèle") }, p.entry.item.label));
        line.appendChild(element("td", { "data-label": tr("Parts", "Pièces") }, number(p.entry.quantity, 0)));
        line.appendChild(listCell(tr("Made on", "Fabriqué sur"), where));
        line.appendChild(element("td", { "data-label": tr("Filament (kg)", "Filament (kg)") }, number(grams / 1000, 2)));
        breakdown.appendChild(line);
      });
      working.forEach(function (w, j) {
        if (!plan || w.count === 0 || plan.busy[j] < 1e-9) return;
        var made = planned.map(function (p, i) { return [p.entry.item.label, plan.made[i][j]]; })
          .filter(function (pair) { return pair[1] >= 0.5; })
          .map(function (pair) { return pair[0] + tr(": ", " : ") + number(pair[1], 0); });
        var line = element("tr");
        line.appendChild(element("td", { "data-label": tr("Machine", "Machine") }, number(w.count, 0) + " × " + w.kind.title));
        line.appendChild(element("td", { "data-label": tr("Hours a day", "Heures par jour") }, number(w.hours, w.hours % 1 ? 1 : 0)));
        line.appendChild(listCell(tr("Makes", "Fabrique"), made));
        line.appendChild(element("td", { "data-label": tr("Busy (days)", "Occupée (jours)"), "class": "planner-busy" },
                                 number(plan.busy[j], 1)));
        shares.appendChild(line);
      });
      result.textContent = "";
      if (plan) {
        result.append(element("strong", { "class": "planner-days" }, number(plan.days, 1)),
                      tr(" days of production, every machine working at once (the slowest machine's days), ",
                         " jours de production, toutes les machines travaillant en même temps (les jours de la machine la plus chargée), "),
                      element("strong", { "class": "planner-kg" }, number(kg, 2)), tr(" kg of filament.", " kg de filament."));
      } else {
        result.append(tr("Nothing to plan yet: add a design with a number of parts, and the machines you have.",
                         "Rien à planifier pour l’instant : ajoutez un modèle avec un nombre de pièces, et vos machines."));
      }
      if (missing.length) result.append(tr(" Not planned (no machine chosen makes it): ", " Non planifié (aucune machine choisie ne le fabrique) : ")
                                        + missing.join(", ") + ".");
      var lines = shoppingList(list);
      shopping.textContent = "";
      lines.forEach(function (line) {
        var row = element("tr");
        var name = element("td", { "data-label": tr("Item", "Élément") }, line.name);
        if (line.optional) name.append(" ", element("em", {}, tr("(optional)", "(facultatif)")));
        row.appendChild(name);
        row.appendChild(element("td", { "class": "planner-amount", "data-label": tr("Quantity", "Quantité") }, amount(line)));
        var spec = element("td", { "data-label": tr("Specification", "Spécification") }, line.specification);
        if (line.open && line.note) spec.append(element("br"), element("small", {}, line.note));
        row.appendChild(spec);
        shopping.appendChild(row);
      });
      if (kg > 0) {
        var filament = element("tr");
        filament.appendChild(element("td", { "data-label": tr("Item", "Élément") }, tr("Filament", "Filament")));
        filament.appendChild(element("td", { "class": "planner-amount", "data-label": tr("Quantity", "Quantité") },
                                     number(kg, 2) + "\u00a0kg"));
        filament.appendChild(element("td", { "data-label": tr("Specification", "Spécification") },
                                     tr("the slicer's figures, in each design's first material",
                                        "les chiffres du trancheur, dans le premier matériau de chaque modèle")));
        shopping.appendChild(filament);
      }
      if (csvUrl) URL.revokeObjectURL(csvUrl);
      csvUrl = URL.createObjectURL(new Blob([shoppingCsv(lines, kg)], { type: "text/csv;charset=utf-8" }));
      download.href = csvUrl;
      download.hidden = lines.length === 0 && kg === 0;
    }

    items.forEach(function (item) {
      item.perDayOf = function (w) { return w.hours > 0 ? w.kind.perDay(item) * w.hours / w.kind.hours : 0; };
    });

    // The designs grouped by category, in the site's order (the build lists the categories in it).
    function designSelect(id) {
      var select = element("select", { id: "planner-design-" + fields });
      var groups = (data.categories || []).map(function (c) { return { name: c.name, title: tr(c.title, c.title_fr) }; });
      items.forEach(function (item) {
        if (!groups.some(function (g) { return g.name === item.category; })) groups.push({ name: item.category, title: "—" });
      });
      groups.forEach(function (group) {
        var members = items.filter(function (item) { return item.category === group.name; });
        if (!members.length) return;
        var optgroup = element("optgroup", { label: group.title });
        members.forEach(function (item) {
          var option = element("option", { value: item.id }, item.label);
          if (item.id === id) option.selected = true;
          optgroup.appendChild(option);
        });
        select.appendChild(optgroup);
      });
      return select;
    }

    function field(cell, control, label) {
      cell.appendChild(element("label", { "for": control.id, "class": "planner-label" }, label));
      cell.appendChild(control);
      var note = element("p", { id: control.id + "-message", "class": "planner-message", role: "status" });
      note.hidden = true;
      cell.appendChild(note);
    }

    function addOrder(id, quantity) {
      fields += 1;
      var row = element("div", { "class": "planner-order" });
      var select = designSelect(id);
      var count = element("input", { type: "text", inputmode: "numeric", autocomplete: "off", value: String(quantity),
                                     id: "planner-parts-" + fields, "class": "planner-number" });
      var remove = element("button", { type: "button", "class": "md-button planner-remove" }, tr("Remove", "Retirer"));
      remove.setAttribute("aria-label", tr("Remove", "Retirer") + " " + (byId[id] ? byId[id].label : ""));
      select.addEventListener("change", function () {
        remove.setAttribute("aria-label", tr("Remove", "Retirer") + " " + byId[select.value].label);
        update();
      });
      remove.addEventListener("click", function () {
        // focus goes to the next row's design, else the previous row's, else the add button
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        update();
        (next ? next.querySelector("select") : root.querySelector(".planner-add")).focus();
      });
      var design = element("div", { "class": "planner-cell planner-cell--design" });
      field(design, select, tr("Design and variant", "Modèle et variante"));
      var parts = element("div", { "class": "planner-cell planner-cell--parts" });
      field(parts, count, tr("Parts", "Pièces"));
      var action = element("div", { "class": "planner-cell planner-cell--remove" });
      action.appendChild(remove);
      row.append(design, parts, action);
      count.addEventListener("input", update);
      orders.appendChild(row);
      return select;
    }

    function addMachine(kind, count, hours) {
      var row = element("tr");
      var number_ = element("input", { type: "text", inputmode: "numeric", autocomplete: "off", name: kind.name,
                                       value: String(count), id: "planner-machine-" + kind.name, "class": "planner-number" });
      var hoursField = element("input", { type: "text", inputmode: "decimal", autocomplete: "off", name: kind.name + "-hours",
                                          value: String(hours).replace(".", lang === "fr" ? "," : "."),
                                          id: "planner-hours-" + kind.name, "class": "planner-number" });
      var heading = element("th", { scope: "row" });
      heading.appendChild(element("span", { "class": "planner-kind" },
                                  kind.label || (kind.kind === "laser" ? tr("Laser", "Laser") : tr("Printer", "Imprimante"))));
      heading.appendChild(element("br"));
      heading.appendChild(document.createTextNode(kind.title));
      row.appendChild(heading);
      var many = element("td");
      field(many, number_, tr("How many", "Combien"));
      var day = element("td");
      field(day, hoursField, kind.hoursLabel || (kind.kind === "laser" ? tr("Attended hours a day", "Heures de présence par jour")
                                                                       : tr("Hours a day it prints", "Heures d’impression par jour")));
      row.append(many, day);
      number_.addEventListener("input", update);
      hoursField.addEventListener("input", update);
      machines.querySelector("tbody").appendChild(row);
    }

    // The plan in the address, else the default: one of the first visor, one of each machine kind's first.
    var saved;
    try {
      saved = new URLSearchParams(decodeURIComponent((window.location.hash.match(/^#plan=(.*)$/) || [])[1] || ""));
    } catch (error) {  // an address cut short mid-escape: start from the default plan
      saved = new URLSearchParams("");
    }
    var savedMachines = {};
    (saved.get("m") || "").split(",").forEach(function (part) {
      var bits = part.split("*");
      if (bits.length === 3) savedMachines[bits[0]] = { count: Number(bits[1]), hours: Number(bits[2]) };
    });
    kinds.forEach(function (kind, index) {
      var known = savedMachines[kind.name];
      addMachine(kind, known ? known.count : (index === 0 ? 1 : 0), known ? known.hours : kind.hours);
    });
    var savedOrders = (saved.get("o") || "").split(",").map(function (part) { return part.split("*"); })
      .filter(function (bits) { return bits.length === 2 && byId[bits[0]]; });
    root.querySelector(".planner-add").addEventListener("click", function () {
      addOrder(firstOrder(items).id, 100).focus();
      update();
    });
    if (saved.has("o")) savedOrders.forEach(function (bits) { addOrder(bits[0], bits[1]); });
    else if (items.length) addOrder(firstOrder(items).id, 100);
    update();
  }

  function start() {
    var root = document.getElementById("production-planner");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var noLasers = { lasers: {}, designs: [] };  // a site built before cutting.json existed
    var noSewing = { designs: [] };  // nor sewing.json
    Promise.all([
      fetch(dataUrl).then(function (response) { return response.json(); }),
      fetch(cuttingUrl).then(function (response) { return response.ok ? response.json() : noLasers; },
                             function () { return noLasers; }),
      fetch(sewingUrl).then(function (response) { return response.ok ? response.json() : noSewing; },
                            function () { return noSewing; })
    ]).then(function (all) { setUp(root, all[0], all[1], all[2]); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
