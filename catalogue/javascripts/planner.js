// The production planner (planner.md): designs and quantities, printers and lasers of each kind -> days and filament.
// Reads production.json (printers), cutting.json (lasers) and sewing.json (sewers: minutes per mask), which the build writes beside catalogue.json at the
// site's root (one copy for both languages); nothing else is fetched. Its words and numbers follow the page's
// language (<html lang>).
(function () {
  "use strict";

  var script = document.currentScript;
  // <lang>/javascripts/planner.js → the site's root
  var dataUrl = new URL("../../production.json", script ? script.src : window.location.href);
  var cuttingUrl = new URL("../../cutting.json", script ? script.src : window.location.href);
  var sewingUrl = new URL("../../sewing.json", script ? script.src : window.location.href);
  var SEWERS = "sewers", SEWER_HOURS = "sewer-hours";  // people who sew, and the hours each sews a day
  var LASER = "laser-";  // a laser's input is named laser-<profile>, a printer's <profile>
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

  // One entry per design variant (every one: those the slicer measured, those with only a bill of materials, those
  // cut on a laser), with its printers' runs, its lasers' figures and its bill of materials (any may be empty).
  function options(data, cutting, sewing) {
    var list = [], byId = {};
    function item(design, name) {
      var id = design.slug + "/" + name;
      if (!byId[id]) {
        byId[id] = { id: id, label: tr(design.title, design.title_fr) + " — " + name, runs: {}, lasers: {}, bom: [] };
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
    sewing.designs.forEach(function (design) {
      design.variants.forEach(function (variant) { item(design, variant.name).sewing = variant; });
    });
    return list;
  }

  function text(value) {
    return value ? (lang === "fr" && value.fr ? value.fr : value.en) : "";
  }

  // The shopping list: each item's quantity per unit times the units ordered, summed across the designs
  // (one line per item and specification); printed parts in prints; what a part connects to is not bought.
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

  // Days for one design: its parts shared between every machine in proportion to their output per day;
  // filament only for what the printers make.
  function plan(item, quantity, fleet) {
    var perDay = 0, gramsPerDay = 0;
    Object.keys(fleet).forEach(function (machine) {
      if (fleet[machine] <= 0 || machine === SEWER_HOURS) return;
      if (machine === SEWERS) {  // a sewn design: the people's hours over its minutes per mask
        if (item.sewing) perDay += fleet[machine] * fleet[SEWER_HOURS] * 60 / item.sewing.minutes_per_mask;
        return;
      }
      if (machine.indexOf(LASER) === 0) {
        var cut = item.lasers[machine.slice(LASER.length)];
        if (cut) perDay += fleet[machine] * cut.units_per_laser_per_day;
        return;
      }
      var run = item.runs[machine];
      if (!run) return;
      var units = fleet[machine] * run.units_per_printer_per_day;
      perDay += units;
      gramsPerDay += units * run.full_plate.filament_g / (run.copies_per_plate * run.parts_per_copy);
    });
    if (perDay <= 0) return null;
    return { perDay: perDay, days: quantity / perDay, kg: quantity * (gramsPerDay / perDay) / 1000 };
  }

  function setUp(root, data, cutting, sewing) {
    var items = options(data, cutting, sewing), fields = 0;
    var orders = root.querySelector(".planner-orders tbody");
    var printers = root.querySelector(".planner-printers tbody");
    var result = root.querySelector(".planner-result");
    var breakdown = root.querySelector(".planner-breakdown tbody");
    var shopping = root.querySelector(".planner-shopping tbody");

    function update() {
      var fleet = {};
      printers.querySelectorAll("input").forEach(function (input) {
        fleet[input.name] = Math.max(0, (input.name === SEWER_HOURS ? parseFloat(input.value) : parseInt(input.value, 10)) || 0);
      });
      var totalDays = 0, totalKg = 0, missing = [], ordered = [];
      breakdown.textContent = "";
      orders.querySelectorAll("tr").forEach(function (row) {
        var item = items[row.querySelector("select").selectedIndex];
        var quantity = Math.max(0, parseInt(row.querySelector("input").value, 10) || 0);
        if (quantity === 0) return;
        ordered.push({ item: item, quantity: quantity });
        var figures = plan(item, quantity, fleet);
        var line = element("tr");
        line.appendChild(element("td", {}, item.label));
        line.appendChild(element("td", {}, String(quantity)));
        if (figures === null) {
          missing.push(item.label);
          line.appendChild(element("td", { colspan: "3" }, tr("no machine chosen makes it", "aucune machine choisie ne le fabrique")));
        } else {
          totalDays += figures.days;
          totalKg += figures.kg;
          line.appendChild(element("td", {}, number(figures.perDay, 0)));
          line.appendChild(element("td", {}, number(figures.days, 1)));
          line.appendChild(element("td", {}, number(figures.kg, 2)));
        }
        breakdown.appendChild(line);
      });
      result.textContent = "";
      var days = element("strong", { "class": "planner-days" }, number(totalDays, 1));
      var kg = element("strong", { "class": "planner-kg" }, number(totalKg, 2));
      result.append(days, tr(" days of production, ", " jours de production, "), kg, tr(" kg of filament.", " kg de filament."));
      if (missing.length) result.append(tr(" Not planned: ", " Non planifié : ") + missing.join(", ") + ".");
      shopping.textContent = "";
      shoppingList(ordered).forEach(function (line) {
        var row = element("tr");
        var name = element("td", {}, line.name);
        if (line.optional) name.append(" ", element("em", {}, tr("(optional)", "(facultatif)")));
        row.appendChild(name);
        row.appendChild(element("td", { "class": "planner-amount" }, amount(line)));
        var spec = element("td", {}, line.specification);
        if (line.open && line.note) spec.append(element("br"), element("small", {}, line.note));
        row.appendChild(spec);
        shopping.appendChild(row);
      });
      if (totalKg > 0) {
        var filament = element("tr");
        filament.appendChild(element("td", {}, tr("Filament", "Filament")));
        filament.appendChild(element("td", { "class": "planner-amount" }, number(totalKg, 2) + "\u00a0kg"));
        filament.appendChild(element("td", {}, tr("the slicer's figures, in each design's first material",
                                                 "les chiffres du trancheur, dans le premier matériau de chaque modèle")));
        shopping.appendChild(filament);
      }
    }

    function addOrder(id, quantity) {
      var row = element("tr");
      var select = element("select", { id: "planner-design-" + (++fields) });
      items.forEach(function (item) {
        var option = element("option", { value: item.id }, item.label);
        if (item.id === id) option.selected = true;
        select.appendChild(option);
      });
      var count = element("input", { type: "number", min: "0", step: "1", value: String(quantity), id: "planner-parts-" + fields,
                                     inputmode: "numeric" });
      var remove = element("button", { type: "button", "class": "md-button" }, tr("Remove", "Retirer"));
      remove.addEventListener("click", function () { row.remove(); update(); });
      [[select, tr("Design and variant", "Modèle et variante")], [count, tr("Parts", "Pièces")], [remove, null]].forEach(function (pair) {
        var cell = element("td");
        if (pair[1]) cell.appendChild(element("label", { "for": pair[0].id, "class": "planner-label" }, pair[1]));
        cell.appendChild(pair[0]);
        row.appendChild(cell);
      });
      select.addEventListener("change", update);
      count.addEventListener("input", update);
      orders.appendChild(row);
    }

    function addMachine(name, facts, value, step) {
      var row = element("tr");
      var title = tr(facts.title, facts.title_fr);
      var count = element("input", { type: "number", min: "0", step: step || "1", name: name, value: value,
                                      id: "planner-machine-" + name, inputmode: step ? "decimal" : "numeric" });
      var heading = element("td");
      heading.appendChild(element("label", { "for": count.id }, title));  // the machine's name is its field's label
      row.appendChild(heading);
      count.addEventListener("input", update);
      var cell = element("td");
      cell.appendChild(count);
      row.appendChild(cell);
      printers.appendChild(row);
    }
    Object.keys(data.printers).sort().forEach(function (name, index) {
      addMachine(name, data.printers[name], index === 0 ? "1" : "0");
    });
    Object.keys(cutting.lasers)
      .sort(function (a, b) { return cutting.lasers[a].power_w - cutting.lasers[b].power_w; })  // smallest first
      .forEach(function (name) { addMachine(LASER + name, cutting.lasers[name], "0"); });
    if (sewing.sewer) {  // people, not machines: how many, and the hours each sews a day
      addMachine(SEWERS, sewing.sewer, "0");
      addMachine(SEWER_HOURS, { title: "Hours each sewer sews a day", title_fr: "Heures de couture par jour et par personne" },
                 String(sewing.sewer.hours_per_day), "0.5");
    }
    root.querySelector(".planner-add").addEventListener("click", function () { addOrder(items[0].id, 100); update(); });
    if (items.length) addOrder(items[0].id, 100);
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
