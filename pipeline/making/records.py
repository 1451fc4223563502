"""The records of the ways of making (contract.py): what a method makes of a variant, and the published design
every later step reads. Shared data, like model.py: they import only the shared records (model, built, trust_records)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..built import Artifact
from ..model import AssemblyStep, BomLine, Design, Download, Text
from ..trust_records import PublishedReport, PublishedReview


@dataclass(frozen=True)
class FileRole:
    title: Text
    shown: bool  # pages display it: it stays on the site (GitHub Pages) when a download host is set
    okh: str | None  # where okh.toml lists it in a part: "export" (the thing itself), "auxiliary" (to make it)


# Every role a published file can have: the one list SHA256SUMS, the host, the page, the zip, okh.toml and
# catalogue.json read. With a download host every file goes to the host except those pages display.
FILE_ROLES: dict[str, FileRole] = {
    "model": FileRole(Text("Model", "Modèle"), False, "export"),  # a variant's STL, STEP, 3MF
    "viewer": FileRole(Text("3D view", "Vue 3D"), True, "export"),  # the GLB the page's 3D view loads
    "picture": FileRole(Text("Picture", "Image"), True, None),  # a variant's PNG
    "source": FileRole(Text("Script", "Script"), False, None),
    "plate": FileRole(Text("Printer plate", "Plateau d'impression"), False, "auxiliary"),  # a printer's arranged plate
    "cut-part": FileRole(Text("Cut part", "Pièce découpée"), False, "export"),  # one cut part, DXF or SVG
    "cut-sheet": FileRole(Text("Nested sheet", "Plaque imbriquée"), False, "auxiliary"),  # a laser's full sheet
    "pattern": FileRole(Text("Sewing pattern", "Patron de couture"), False, "export"),  # a sewn piece, 1:1
    "marker": FileRole(Text("Cutting marker", "Plan de coupe"), False, "auxiliary"),  # pieces on a fabric width
    "template": FileRole(Text("1:1 template", "Gabarit 1:1"), False, None),  # a sheet's template, printed at 100 %
    "bom": FileRole(Text("Bill of materials", "Nomenclature"), False, None),
    "step-picture": FileRole(Text("Assembly picture", "Image d'assemblage"), True, None),
    "checksums": FileRole(Text("Checksums", "Sommes de contrôle"), False, None),
    "bundle": FileRole(Text("Everything in one zip", "Tout dans un zip"), False, None),
    "manifest": FileRole(Text("Open Know-How manifest", "Manifeste Open Know-How"), False, None),
    "reviewed": FileRole(Text("Reviewed file", "Fichier évalué"), False, None),  # of an older, reviewed version
    "report-photo": FileRole(Text("Maker's photo", "Photo d'un maker"), True, None),
}
MACHINE_KINDS = ("printer", "laser", "sewer")  # what MachineFigures.kind may say


def role_shown(role: str) -> bool:
    """Whether pages display a file of this role (it then stays on the site with a download host)."""
    return FILE_ROLES[role].shown


@dataclass(frozen=True)
class MadeFile:
    """One file a way of making publishes for one variant, under downloads/<slug>/<name>."""

    source: Path  # its bytes, in the method's cache (hard-linked into the site, never changed in place)
    name: str  # the published file name; starts with model.variant_stem(slug, variant)
    role: str  # one of FILE_ROLES
    title: Text  # what a page's download list calls it: "Frame, DXF", "Plate for the Prusa MK4"

    def __post_init__(self) -> None:
        if self.role not in FILE_ROLES:
            raise ValueError(f"unknown file role {self.role!r}; known: {', '.join(FILE_ROLES)}")
        if "/" in self.name or self.name.startswith("."):
            raise ValueError(f"a published file name is a plain name, not {self.name!r}")

    @property
    def shown(self) -> bool:
        return role_shown(self.role)


@dataclass(frozen=True)
class MachineFigures:
    """One reference machine's output for one variant: what the planner, the summary box, catalogue.json and
    okh.toml read, whatever the method."""

    method: str  # the WayOfMaking's name
    kind: str  # one of MACHINE_KINDS
    machine: str  # the profile's name (printer-<name>.ini, laser-<name>.toml, ...)
    title: Text  # the machine as pages name it
    seconds_per_unit: float  # machine time for one finished unit, loading and changes included
    units_per_day: float  # finished units one machine makes in its working day
    load: Text  # what a workshop loads at once: "a plate of 12", "a 600 × 400 mm sheet of 8"
    day: Text | None = None  # what its day is: "24 h of full plates", "8 attended hours, sheet changes included"

    def __post_init__(self) -> None:
        if self.kind not in MACHINE_KINDS:
            raise ValueError(f"unknown machine kind {self.kind!r}; known: {', '.join(MACHINE_KINDS)}")


@dataclass(frozen=True)
class MadeVariant:
    """What a way of making returns for one variant."""

    method: str
    files: tuple[MadeFile, ...]  # in the order pages list them
    machines: tuple[MachineFigures, ...] = ()  # one per reference machine that makes it
    bom_lines: tuple[BomLine, ...] = ()  # what this way of making adds to the variant's bill of materials
    masses_g: tuple[tuple[str, float], ...] = ()  # (material, grams) of one unit as made this way; () when unknown
    detail: Any = None  # the method's own typed record (printing: its ProductionRuns), read only by the method


@dataclass(frozen=True)
class PublishedMade:
    """A MadeVariant as published: `downloads[i]` is `made.files[i]` under downloads/<slug>/."""

    made: MadeVariant
    artifact: Artifact
    downloads: tuple[Download, ...]

    def download(self, name: str) -> Download:
        return next(d for d in self.downloads if d.name == name)


@dataclass(frozen=True)
class PublishedStep:
    """An assembly step with its picture: a view rendered from the design's CAD, or its cleaned photo."""

    step: AssemblyStep
    picture: Download | None = None


@dataclass(frozen=True)
class PublishedVariant:
    artifact: Artifact
    files: tuple[Download, ...]  # one per FORMATS, in that order
    picture: Download
    made: tuple[PublishedMade, ...] = ()  # what each way of making the design uses made of it, in METHODS' order

    def made_by(self, method: str) -> PublishedMade | None:
        return next((m for m in self.made if m.made.method == method), None)


@dataclass(frozen=True)
class PublishedDesign:
    design: Design
    variants: tuple[PublishedVariant, ...]
    script: Download
    checksums: Download
    bundle: Download
    manifest: Download  # okh.toml
    reviews: tuple[PublishedReview, ...] = ()
    reports: tuple[PublishedReport, ...] = ()
    templates: tuple[Download, ...] = ()  # the sheet's 1:1 template: SVG, A4 PDF, letter PDF
    bom_csv: Download | None = None
    steps: tuple[PublishedStep, ...] = ()
    # every published file of the design, each with its role, built once (publish/downloads.py): SHA256SUMS's,
    # then SHA256SUMS, the zip, okh.toml, the reviewed files and makers' photos. The host, the page's downloads
    # and checksums, catalogue.json read this list.
    files: tuple[Download, ...] = field(default=(), kw_only=True)
