"""Printing as a way of making: each variant sliced with PrusaSlicer for every reference printer
(pipeline/production/), its arranged plates published, its figures on the page, in catalogue.json, okh.toml
and the planner's production.json.

A design is printed when its made_by names `printing` (the default); only a printed design must give
`print_settings` and `materials` (the schema says so).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..built import Artifact, BuildReport
from ..making.contract import MachineFigures, MadeFile, MadeVariant, PublishedMade
from ..making.records import PublishedDesign, PublishedVariant
from ..making.sections import render
from ..model import Design, Text, variant_stem
from ..production.records import ProductionRun, PublishedRun
from ..siteinfo import SiteInfo

TEMPLATES = Path(__file__).resolve().parent / "templates"


class Printing:
    name = "printing"
    title = Text("3D printing", "Impression 3D")
    process = "3D printing"
    tsdc = "3DP"
    design_block = "print_settings"

    def uses(self, design: Design) -> bool:
        return self.name in design.made_by

    def make(self, artifacts: list[Artifact], config, report: BuildReport) -> dict[str, MadeVariant]:
        from ..cad.shard import merge_caches
        from .build import slice_variants

        merge_caches([d.parent / "slices" for d in config.merge_caches], config.slice_cache_dir, "figures.json")
        if not config.production:  # --no-production: benchmarks of the other stages
            return {}

        by_key = {a.job.key: a for a in artifacts}
        return {key: made_variant(by_key[key], runs) for key, runs in slice_variants(artifacts, config, report).items()}

    def section_anchor(self, lang: str) -> str:
        return "production"

    def page_section(self, published: PublishedDesign, made: tuple[PublishedMade, ...],
                     context: Mapping[str, Any]) -> str:
        from .summary import production_context

        return render(TEMPLATES, "printing.md.j2", context,
                      production=production_context(published.design, published.variants, runs_of))

    def catalogue_entry(self, made: PublishedMade, site: SiteInfo) -> Mapping[str, Any]:
        from .summary import run_entry

        return {"runs": [run_entry(r, site) for r in published_runs(made)]}

    def documents(self, published: list[PublishedDesign], site: SiteInfo) -> dict[str, str]:
        from .summary import planner_document

        return {"production.json": planner_document(published, site, runs_of)}


def plate_name(artifact: Artifact, printer: str) -> str:
    """<slug>-<variant>-plate-<printer>.3mf: the arranged full plate for one reference printer."""
    return f"{variant_stem(artifact.job.design.slug, artifact.job.variant.name)}-plate-{printer}.3mf"


def made_variant(artifact: Artifact, runs: tuple[ProductionRun, ...]) -> MadeVariant:
    from .summary import printer_titles

    titles = printer_titles()
    files = tuple(MadeFile(r.plate_3mf, plate_name(artifact, r.printer), "plate",
                           Text(f"Plate for the {titles[r.printer]['title']}",
                                f"Plateau pour la {titles[r.printer]['title_fr']}")) for r in runs)
    machines = tuple(MachineFigures(
        method="printing", kind="printer", machine=r.printer,
        title=Text(titles[r.printer]["title"], titles[r.printer]["title_fr"]),
        seconds_per_unit=86400 / r.units_per_day, units_per_day=r.units_per_day,
        load=Text(f"a plate of {r.copies}" + (f" × {r.parts_per_copy}" if r.parts_per_copy > 1 else ""),
                  f"un plateau de {r.copies}" + (f" × {r.parts_per_copy}" if r.parts_per_copy > 1 else "")),
        day=Text("24 h of full plates, a plate change between two", "24 h de plateaux pleins, un changement de "
                 "plateau entre deux"))
        for r in runs)
    return MadeVariant("printing", files, machines, detail=runs)


def runs_of(variant: PublishedVariant) -> tuple[PublishedRun, ...]:
    made = variant.made_by("printing")
    return published_runs(made) if made is not None else ()


def published_runs(made: PublishedMade) -> tuple[PublishedRun, ...]:
    """Each reference printer's run with its published plate."""
    return tuple(PublishedRun(run, made.download(plate_name(made.artifact, run.printer))) for run in made.made.detail)


METHOD = Printing()
