"""The contract every way of making fulfils: printing, laser cutting, sewing next.

A way of making is an object with the attributes and methods of `WayOfMaking` (a Protocol: no base class to
inherit), registered in `pipeline.making.METHODS`. The build asks each method the designs it makes
(`uses`), lets it do its work per variant behind its own content cache (`make`), and gets back one typed
`MadeVariant` per variant: the files it publishes (each with a role), the reference machines' figures, its
bill-of-materials lines and its own typed detail. Everything later (publish, pages, catalogue.json,
okh.toml, the planner, the summary box) iterates over the methods and over these records; none names a
method. Adding a way of making is a package of its own that registers one object, plus designs that say
`made_by: [<name>]` (think of Pelican's generators, MkDocs' `Files`, cq-cli's codecs).

    MadeFile        one file a method publishes for a variant: its bytes in a cache, its name, its role
    MachineFigures  one reference machine's output for one variant: seconds and units per day, what to load
    MadeVariant     what `make` returns per variant
    PublishedMade   a MadeVariant once published: the same files as Downloads, in the same order
    WayOfMaking     the Protocol a method implements
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..model import Artifact, BomLine, Download, Text

if TYPE_CHECKING:  # the publish stage's records, which name these; only for type hints
    from ..config import BuildConfig
    from ..model import BuildReport, Design, PublishedDesign
    from ..siteinfo import SiteInfo

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


@runtime_checkable
class WayOfMaking(Protocol):
    """A way of making. Implementations live in their own package and register one instance in METHODS."""

    name: str  # "printing": what design.yaml's made_by names, the key of its catalogue.json entry
    title: Text  # "3D printing"
    process: str  # okh.toml's manufacturing-process words, in English: "3D printing", "laser cutting"
    tsdc: str | None  # OKH-LOSH's technology-specific documentation criteria code ("3DP"); None when none fits
    design_block: str | None  # the design.yaml block it reads ("print_settings", "cutting"), asked only of its designs

    def uses(self, design: Design) -> bool:
        """Whether this method makes the design (its made_by names it)."""

    def make(self, artifacts: list[Artifact], config: BuildConfig, report: BuildReport) -> dict[str, MadeVariant]:
        """Its work for the variants of the designs it makes (`artifacts` holds only those), by artifact key.

        Cached by content: a rebuild with nothing changed runs nothing. A variant it cannot make is a
        `Problem` in `report` located at the design and variant, and is left out; other variants go on."""

    def section_anchor(self, lang: str) -> str:
        """The id of its section on a design page in `lang`, without '#': okh.toml's manufacturing-instructions."""

    def page_section(self, published: PublishedDesign, made: tuple[PublishedMade, ...],
                     context: Mapping[str, Any]) -> str:
        """Its section of a design page, as Markdown (with raw HTML), contributors' text escaped.

        `made`: the variants it made, in variant order. `context`: the design page's template context
        (`lang`, `link(download)` for a published file's address, ...); `sections.render` renders a template
        of the method's own folder with it."""

    def catalogue_entry(self, made: PublishedMade, site: SiteInfo) -> Mapping[str, Any]:
        """Its entry of a variant in catalogue.json and okh.toml (under the method's name): figures and files."""

    def documents(self, published: list[PublishedDesign], site: SiteInfo) -> dict[str, str]:
        """Files it writes at the docs folder's root, published once for both languages (a planner's JSON)."""


@dataclass
class Registry:
    """The ways of making the build knows, in the order pages show their sections."""

    methods: dict[str, WayOfMaking] = field(default_factory=dict)

    def register(self, method: WayOfMaking) -> WayOfMaking:
        if not isinstance(method, WayOfMaking):
            raise TypeError(f"{method!r} does not fulfil pipeline.making.contract.WayOfMaking")
        self.methods[method.name] = method
        return method

    def unregister(self, name: str) -> None:
        self.methods.pop(name, None)

    def __iter__(self):
        return iter(list(self.methods.values()))

    def __contains__(self, name: object) -> bool:
        return name in self.methods

    def __getitem__(self, name: str) -> WayOfMaking:
        return self.methods[name]

    def names(self) -> tuple[str, ...]:
        return tuple(self.methods)

    def used_by(self, design: Design) -> list[WayOfMaking]:
        return [m for m in self if m.uses(design)]
