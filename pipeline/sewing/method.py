"""Sewing as a way of making (pipeline/making/contract.py): each variant's pattern and markers published, the
sewer's figures, the fabric, elastic, nose wire and thread in its bill of materials, its section on the design
page, its entry in catalogue.json and okh.toml, and the planner's sewing.json.

A design is sewn when its made_by names `sewing`; it then declares its pieces in a `sewing` block (schema).
Open Know-How (OKH-LOSH) has no technology-specific documentation criteria for textiles yet: `tsdc` is None
and okh.toml says so in words rather than inventing a code.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..built import Artifact, BuildReport
from ..making.contract import MachineFigures, MadeFile, MadeVariant, PublishedMade
from ..making.records import PublishedDesign
from ..making.sections import render
from ..model import BomLine, Design, Text, variant_stem
from ..siteinfo import SiteInfo
from .spec import ROLL_WIDTHS_MM, SELVEDGE_MM, SPACING_MM

if TYPE_CHECKING:
    from .build import SewnVariant

TEMPLATES = Path(__file__).resolve().parent / "templates"
REFERENCE_HOURS_PER_DAY = 7.0  # a working day of the French 35-hour week; the planner lets you change it
PLANNER_DOCUMENT = "sewing.json"
PATTERN_TITLES = {  # published name's ending -> title
    "pattern-a4.pdf": Text("Pattern, tiled A4 pages (PDF)", "Patron, pages A4 à assembler (PDF)"),
    "pattern-letter.pdf": Text("Pattern, tiled US-letter pages (PDF)", "Patron, pages US letter à assembler (PDF)"),
    "pattern-a0.pdf": Text("Pattern, one A0 sheet for a copy shop (PDF)", "Patron, une feuille A0 pour la reprographie (PDF)"),
    "pattern.svg": Text("Pattern, SVG in millimetres", "Patron, SVG en millimètres"),
    "pattern.dxf": Text("Pattern, DXF-AAMA layers, a block per piece", "Patron, DXF aux calques AAMA, un bloc par pièce"),
    "marker.pdf": Text("Markers, a metre of each roll width (PDF, 1:1)", "Plans de coupe, un mètre de chaque laize (PDF, 1:1)"),
}


class Sewing:
    name = "sewing"
    title = Text("Sewing", "Couture")
    process = "sewing (OKH-LOSH has no technology-specific documentation criteria for textiles yet)"
    tsdc = None  # no textile TSDC exists: say so, never invent one
    design_block = "sewing"

    def uses(self, design: Design) -> bool:
        return self.name in getattr(design, "made_by", (self.name,)) and design.sewing is not None

    def make(self, artifacts: list[Artifact], config, report: BuildReport) -> dict[str, MadeVariant]:
        by_key = {a.job.key: a for a in artifacts}
        from .build import sew_variants  # here: shapely and the pattern writers, only when a design is sewn

        return {key: made_variant(by_key[key], sewn) for key, sewn in sew_variants(artifacts, config, report).items()}

    def section_anchor(self, lang: str) -> str:
        return "couture" if lang == "fr" else "sewing"

    def page_section(self, published: PublishedDesign, made: tuple[PublishedMade, ...],
                     context: Mapping[str, Any]) -> str:
        rows = [variant_context(m) for m in made]
        return render(TEMPLATES, "sewing.md.j2", context, sewing=rows if rows else None,
                      hours=REFERENCE_HOURS_PER_DAY, selvedge=SELVEDGE_MM, spacing=SPACING_MM)

    def catalogue_entry(self, made: PublishedMade, site: SiteInfo) -> Mapping[str, Any]:
        sewn: SewnVariant = made.made.detail
        name = made.artifact.job.variant.name
        entry = {
            "minutes_per_mask": sewn.sewing.minutes_per_mask,
            "minutes_source": _text(sewn.sewing.minutes_source),
            "seam_allowance_mm": sewn.sewing.seam_allowance_mm,
            "pieces": [{"name": p.name, "size_mm": [round(v, 1) for v in p.size_mm], "copies": p.copies,
                        "mirrored": p.mirrored} for p in sewn.pieces],
            "rolls": [{"width_cm": round(r.width_mm / 10), "masks_per_metre": r.masks_per_metre,
                       "metres_per_100_masks": r.metres_per_100} for r in sewn.rolls],
            "fastening": {"kind": sewn.sewing.fastening.kind, "count": sewn.sewing.fastening.count}
            | ({"length_mm": length} if (length := sewn.sewing.fastening.length_for(name)) is not None else {}),
            "files": {d.name: {"url": site.download_link(d), "size": d.size, "sha256": d.sha256}
                      for d in made.downloads},
        }
        if sewn.finished_mm:  # a pleated mask's stitched size once pleated (okh.toml has no null)
            entry["finished_mm"] = [round(v, 1) for v in sewn.finished_mm]
        return entry

    def documents(self, published: list[PublishedDesign], site: SiteInfo) -> dict[str, str]:
        """sewing.json, which the planner reads: minutes and fabric per mask of every sewn variant."""
        designs = []
        for p in published:
            variants = [{"name": v.artifact.job.variant.name, **planner_entry(m.made.detail)}
                        for v in p.variants for m in getattr(v, "made", ()) if m.made.method == self.name]
            if variants:
                designs.append({"slug": p.design.slug, "title": p.design.title.en,
                                "title_fr": p.design.title.fr or p.design.title.en, "variants": variants})
        document = {"sewer": {"title": "Sewers", "title_fr": "Couturières et couturiers",
                              "hours_per_day": REFERENCE_HOURS_PER_DAY}, "designs": designs}
        return {PLANNER_DOCUMENT: json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"}


def planner_entry(sewn: SewnVariant) -> dict[str, Any]:
    reference = sewn.rolls[0]
    return {"minutes_per_mask": sewn.sewing.minutes_per_mask,
            "fabric_mm_per_mask": round(reference.metres_per_100 * 10, 1), "roll_width_cm": round(reference.width_mm / 10)}


def made_variant(artifact: Artifact, sewn: SewnVariant) -> MadeVariant:
    stem = variant_stem(artifact.job.design.slug, artifact.job.variant.name)
    files = []
    for ending, title in PATTERN_TITLES.items():
        role = "marker" if ending.startswith("marker") else "pattern"
        files.append(MadeFile(sewn.files[f"{stem}-{ending}"], f"{stem}-{ending}", role, title))
    for width in ROLL_WIDTHS_MM:
        cm = round(width / 10)
        files.append(MadeFile(sewn.files[f"{stem}-marker-{cm}.svg"], f"{stem}-marker-{cm}.svg", "marker",
                              Text(f"Marker, a metre of {cm} cm roll (SVG)", f"Plan de coupe, un mètre de laize {cm} cm (SVG)")))
    minutes = sewn.sewing.minutes_per_mask
    sewer = MachineFigures(method="sewing", kind="sewer", machine="sewer",
                           title=Text(f"A sewer, {REFERENCE_HOURS_PER_DAY:g} h a day",
                                      f"Une couturière ou un couturier, {REFERENCE_HOURS_PER_DAY:g} h par jour"),
                           seconds_per_unit=minutes * 60, units_per_day=round(REFERENCE_HOURS_PER_DAY * 60 / minutes, 2),
                           load=Text("one mask's pieces, cut from the marker", "les pièces d'un masque, coupées selon le plan de coupe"))
    return MadeVariant("sewing", tuple(files), (sewer,), bom_lines(artifact, sewn), detail=sewn)


def bom_lines(artifact: Artifact, sewn: SewnVariant) -> tuple[BomLine, ...]:
    """Fabric from the marker (its quantity is a build figure), the elastic or ties and the optional nose wire of
    the sewing block; what design.yaml's own bom lists (thread) comes before them."""
    sewing, variant = sewn.sewing, artifact.job.variant.name
    rolls = {round(r.width_mm / 10): r for r in sewn.rolls}
    reference = sewn.rolls[0]
    others_en = ", ".join(f"{cm} cm: {r.metres_per_100 * 10:.0f} mm" for cm, r in rolls.items() if r is not reference)
    others_fr = ", ".join(f"{cm} cm : {r.metres_per_100 * 10:.0f} mm" for cm, r in rolls.items() if r is not reference)
    layers_en = "; ".join(f"{p.copies} × {p.title.en}: {p.layer.en}" for p in sewing.pieces)
    layers_fr = " ; ".join(f"{p.copies} × {p.title.fr or p.title.en} : {p.layer.fr or p.layer.en}" for p in sewing.pieces)
    cm = round(reference.width_mm / 10)
    fastening = sewing.fastening
    length = fastening.length_for(variant)
    width = f" {fastening.width_mm:g} mm" if fastening.width_mm else ""
    lines = [
        BomLine(Text("Fabric", "Tissu"), round(reference.metres_per_100 * 10, 1), "mm",
                Text(f"a {cm} cm wide roll, every layer cut from it", f"une laize de {cm} cm, toutes les couches dedans"),
                note=Text(f"Roll length per mask from the nested marker of 100 masks (other widths: {others_en}); "
                          f"the layers: {layers_en}.",
                          f"Longueur de rouleau par masque d'après le plan de coupe de 100 masques (autres laizes : "
                          f"{others_fr}) ; les couches : {layers_fr}.")),
        BomLine(Text("Flat elastic" if fastening.kind == "elastic" else "Ties", "Élastique plat" if fastening.kind == "elastic" else "Liens"),
                float(fastening.count * length) if length else None, "mm",
                Text(f"{fastening.kind}{width}, {fastening.count} × {_cm(length, 'en')} per mask",
                     f"{'élastique' if fastening.kind == 'elastic' else 'liens'}{width}, {fastening.count} × "
                     f"{_cm(length, 'fr')} par masque"),
                note=fastening.source),
    ]
    if sewing.nose_wire_mm:
        lines.append(BomLine(Text("Nose wire", "Barrette nasale"), float(sewing.nose_wire_mm), "mm",
                             Text("a malleable wire, sewn into the top edge", "un fil malléable, cousu dans le bord supérieur"),
                             optional=True))
    return tuple(lines)


def variant_context(made: PublishedMade) -> dict[str, Any]:
    sewn: SewnVariant = made.made.detail
    variant = made.artifact.job.variant.name
    titles = {p.name: p for p in sewn.sewing.pieces}
    return {
        "variant": variant,
        "pieces": [{"piece": titles[p.name], "size": f"{p.size_mm[0] / 10:.1f} × {p.size_mm[1] / 10:.1f}",
                    "copies": p.copies, "mirrored": p.mirrored} for p in sewn.pieces],
        "finished": f"{sewn.finished_mm[0] / 10:.1f} × {sewn.finished_mm[1] / 10:.1f}" if sewn.finished_mm else None,
        "patterns": [d for d in made.downloads if "-pattern" in d.name],
        "markers": {d.name.rsplit("-", 1)[-1].split(".")[0]: d for d in made.downloads if "-marker-" in d.name},
        "marker_pdf": next(d for d in made.downloads if d.name.endswith("-marker.pdf")),
        "rolls": [{"cm": round(r.width_mm / 10), "per_metre": r.masks_per_metre, "per_100": f"{r.metres_per_100:.2f}"}
                  for r in sewn.rolls],
        "minutes": sewn.sewing.minutes_per_mask, "source": sewn.sewing.minutes_source,
        "per_day": round(REFERENCE_HOURS_PER_DAY * 60 / sewn.sewing.minutes_per_mask),
        "seam": sewn.sewing.seam_allowance_mm,
        "fastening": sewn.sewing.fastening,
    }


def _cm(length: float | None, lang: str) -> str:
    if length is None:
        return "a length left open" if lang == "en" else "une longueur laissée ouverte"
    return f"{length / 10:g} cm"


def _text(text: Text) -> dict[str, str]:
    return {"en": text.en} | ({"fr": text.fr} if text.fr else {})


METHOD = Sewing()
