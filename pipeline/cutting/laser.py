"""Laser cutting as a way of making: each cut part's DXF and SVG, nested on each reference laser's sheet
(pipeline/cutting/), with its figures on the page, in catalogue.json, okh.toml and the planner's cutting.json.

A design is cut when its made_by names `cutting`; it then declares its parts in a `cutting` block (schema),
and its mass is its parts' outlines × their sheets' thickness × their materials' density.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..built import Artifact, BuildReport
from ..cutting.records import CutFiles, CuttingRun, CutVariant, PublishedCutPart, PublishedCutRun
from ..making.contract import MachineFigures, MadeFile, MadeVariant, PublishedMade
from ..making.records import PublishedDesign, PublishedVariant
from ..making.sections import render
from ..model import BomLine, Design, Text, variant_stem
from ..siteinfo import SiteInfo

TEMPLATES = Path(__file__).resolve().parent / "templates"


class Cutting:
    name = "cutting"
    title = Text("Laser cutting", "Découpe laser")
    process = "laser cutting"
    tsdc = None  # OKH's TsDC codes name 3D printing; we name no code we are not sure of for laser cutting
    design_block = "cutting"

    def uses(self, design: Design) -> bool:
        return self.name in design.made_by and design.cutting is not None

    def make(self, artifacts: list[Artifact], config, report: BuildReport) -> dict[str, MadeVariant]:
        from .build import cut_variants

        by_key = {a.job.key: a for a in artifacts}
        return {key: made_variant(by_key[key], cut) for key, cut in cut_variants(artifacts, config, report).items()}

    def section_anchor(self, lang: str) -> str:
        return "decoupe" if lang == "fr" else "cutting"

    def page_section(self, published: PublishedDesign, made: tuple[PublishedMade, ...],
                     context: Mapping[str, Any]) -> str:
        from .summary import cutting_context

        return render(TEMPLATES, "cutting.md.j2", context, cutting=cutting_context(published, parts_of, runs_of))

    def catalogue_entry(self, made: PublishedMade, site: SiteInfo) -> Mapping[str, Any]:
        from .summary import run_entry

        return {"parts": {c.files.part: {"dxf": _file(c.dxf, site), "svg": _file(c.svg, site),
                                         "size_mm": [round(x, 2) for x in c.files.size_mm]}
                          for c in published_parts(made)},
                "runs": [run_entry(r, site) for r in published_cut_runs(made)]}

    def documents(self, published: list[PublishedDesign], site: SiteInfo) -> dict[str, str]:
        from .summary import planner_document

        return {"cutting.json": planner_document(published, runs_of)}


def _file(download, site: SiteInfo) -> dict[str, Any]:
    return {"url": site.download_link(download), "size": download.size, "sha256": download.sha256}


def part_name(artifact: Artifact, part: str, fmt: str, laser: str | None = None) -> str:
    """<slug>-<variant>-<part>.<fmt>; a laser's nested sheet: <slug>-<variant>-<part>-sheet-<laser>.<fmt>."""
    sheet = f"-sheet-{laser}" if laser else ""
    return f"{variant_stem(artifact.job.design.slug, artifact.job.variant.name)}-{part}{sheet}.{fmt}"


def made_variant(artifact: Artifact, cut: CutVariant) -> MadeVariant:
    from . import profiles
    from .summary import laser_titles

    declared = {p.name: p for p in artifact.job.design.cutting.parts}
    files = [MadeFile(source, part_name(artifact, f.part, fmt), "cut-part",
                      Text(f"{declared[f.part].title.en}, {fmt.upper()}", f"{declared[f.part].title.fr or declared[f.part].title.en}, {fmt.upper()}"))
             for f in cut.files for fmt, source in (("dxf", f.dxf), ("svg", f.svg))]
    titles = laser_titles()
    for run in cut.runs:
        files += [MadeFile(source, part_name(artifact, p.part, fmt, run.laser), "cut-sheet",
                           Text(f"{declared[p.part].title.en}, nested for the {titles[run.laser]['title']}, {fmt.upper()}",
                                f"{declared[p.part].title.fr or declared[p.part].title.en}, imbriquée pour le "
                                f"{titles[run.laser]['title_fr']}, {fmt.upper()}"))
                  for p in run.parts for fmt, source in (("dxf", p.sheet_dxf), ("svg", p.sheet_svg))]
    machines = tuple(MachineFigures(
        method="cutting", kind="laser", machine=run.laser,
        title=Text(titles[run.laser]["title"], titles[run.laser]["title_fr"]),
        seconds_per_unit=run.seconds_per_unit, units_per_day=run.units_per_day, load=_load(run, declared),
        day=Text(f"{run.attended_hours_per_day:g} attended hours, sheet changes included",
                 f"{run.attended_hours_per_day:g} heures de présence, changements de plaque compris"))
        for run in cut.runs)
    return MadeVariant("cutting", tuple(files), machines, bom_lines=_sheets(cut, declared, profiles.materials(), titles),
                       masses_g=_masses(artifact, cut.files, profiles.materials()), detail=cut)


def _sheets(cut: CutVariant, declared, materials, titles) -> tuple[BomLine, ...]:
    """The stock sheets one unit takes, per part: its copies over the parts per sheet as nested on the first
    reference laser (the smallest: the sheet most workshops buy). A fraction: 8 frames a sheet is 0.125."""
    if not cut.runs:
        return ()
    run = cut.runs[0]
    lines = []
    for p in run.parts:
        m, part = materials[p.material], declared[p.part]
        size = f"{p.sheet_mm[0]:g} × {p.sheet_mm[1]:g} mm"
        lines.append(BomLine(
            name=Text(f"{m.title}, {p.thickness_mm:g} mm", f"{m.title_fr}, {p.thickness_mm:g} mm"),
            quantity=round(p.copies / p.parts_per_sheet, 4), unit="pieces",
            specification=Text(f"{size} sheet, {p.thickness_mm:g} mm thick, for the {part.title.en.lower()} "
                               f"({p.parts_per_sheet} a sheet as nested for the {titles[run.laser]['title']})",
                               f"plaque de {size}, {p.thickness_mm:g} mm d'épaisseur, pour : "
                               f"{(part.title.fr or part.title.en).lower()} ({p.parts_per_sheet} par plaque, "
                               f"imbriquées pour le {titles[run.laser]['title_fr']})"),
            note=Text("When laser-cut.", "Si découpé au laser.")))
    return tuple(lines)


def _load(run: CuttingRun, declared) -> Text:
    """What one bed load is, per part: 'Frame × 8 on a 600 × 400 mm sheet; Shield × 1 on each of 2 297 × 210 mm
    sheets' (the part's own title and a count, which reads the same in both languages for one part or eight)."""
    en, fr = [], []
    for p in run.parts:
        size = f"{p.sheet_mm[0]:g} × {p.sheet_mm[1]:g} mm"
        title = declared[p.part].title
        each_en, each_fr = f"{title.en} × {p.parts_per_sheet}", f"{title.fr or title.en} × {p.parts_per_sheet}"
        en.append(f"{each_en} on a {size} sheet" if p.sheets_per_load == 1 else
                  f"{each_en} on each of {p.sheets_per_load} {size} sheets")
        fr.append(f"{each_fr} sur une plaque de {size}" if p.sheets_per_load == 1 else
                  f"{each_fr} sur chacune de {p.sheets_per_load} plaques de {size}")
    return Text("; ".join(en), " ; ".join(fr))


def _masses(artifact: Artifact, files: tuple[CutFiles, ...], materials) -> tuple[tuple[str, float], ...]:
    """One unit's mass in each of its sheet materials: each part's outline × thickness × density × copies."""
    grams: dict[str, float] = {}
    values = artifact.job.variant.parameters
    for part, f in zip(artifact.job.design.cutting.parts, files, strict=True):
        volume_cm3 = f.area_mm2 * part.thickness_for(values) * part.copies / 1000
        grams[part.material] = grams.get(part.material, 0.0) + volume_cm3 * materials[part.material].density_g_per_cm3
    return tuple((name, round(g, 1)) for name, g in grams.items())


def parts_of(variant: PublishedVariant) -> tuple[PublishedCutPart, ...]:
    made = variant.made_by("cutting")
    return published_parts(made) if made is not None else ()


def runs_of(variant: PublishedVariant) -> tuple[PublishedCutRun, ...]:
    made = variant.made_by("cutting")
    return published_cut_runs(made) if made is not None else ()


def published_parts(made: PublishedMade) -> tuple[PublishedCutPart, ...]:
    a = made.artifact
    return tuple(PublishedCutPart(f, made.download(part_name(a, f.part, "dxf")), made.download(part_name(a, f.part, "svg")))
                 for f in made.made.detail.files)


def published_cut_runs(made: PublishedMade) -> tuple[PublishedCutRun, ...]:
    a = made.artifact
    return tuple(PublishedCutRun(run, tuple((made.download(part_name(a, p.part, "dxf", run.laser)),
                                             made.download(part_name(a, p.part, "svg", run.laser))) for p in run.parts))
                 for run in made.made.detail.runs)


METHOD = Cutting()
