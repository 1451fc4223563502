"""The contract every way of making fulfils: printing, laser cutting, sewing next.

A way of making is an object with the attributes and methods of `WayOfMaking` (a Protocol: no base class to
inherit), registered in `pipeline.making.METHODS`. The build asks each method the designs it makes
(`uses`), lets it do its work per variant behind its own content cache (`make`), and gets back one typed
`MadeVariant` per variant: the files it publishes (each with a role), the reference machines' figures, its
bill-of-materials lines and its own typed detail. Everything later (publish, pages, catalogue.json,
okh.toml, the planner, the summary box) iterates over the methods and over these records; none names a
method. Adding a way of making is a module in its stage's package whose `METHOD` fulfils this protocol, named
in `pipeline.making.BUILT_IN`, plus designs that say `made_by: [<name>]` (think of Pelican's generators, MkDocs'
`Files`, cq-cli's codecs); printing (pipeline/production/printing.py) and laser cutting
(pipeline/cutting/laser.py) are the two to read. The records live in records.py and are importable from here:

    MadeFile         one file a method publishes for a variant: its bytes in a cache, its name, its role
    FILE_ROLES       every role a published file can have (its title, whether pages display it, its okh.toml place)
    MachineFigures   one reference machine's output for one variant: seconds and units per day, what to load
    MACHINE_KINDS    printer, laser, sewer
    MadeVariant      what `make` returns per variant (files, machines, BOM lines, masses, the method's own detail)
    PublishedMade    a MadeVariant once published: the same files as Downloads, in the same order
    PublishedVariant, PublishedDesign   what publish hands to pages and to each method's page section
    WayOfMaking      the Protocol a method implements; Registry, the registry's type (METHODS)
    sections.render  renders a method's page section from a template in its own folder with the page's context
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..built import Artifact
from ..model import Text
from .records import (  # noqa: F401 - the contract's records, importable from here too
    FILE_ROLES,
    MACHINE_KINDS,
    FileRole,
    MachineFigures,
    MadeFile,
    MadeVariant,
    PublishedDesign,
    PublishedMade,
    PublishedVariant,
    role_shown,
)

if TYPE_CHECKING:  # only for type hints
    from ..built import BuildReport
    from ..config import BuildConfig
    from ..model import Design
    from ..siteinfo import SiteInfo


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
        `Problem` in `report` located at the design and variant, and is left out; other variants go on.
        `report` is a report of its own, perhaps in a forked copy of the build running beside the other methods:
        the build keeps its problems and its slicer counts (BuildReport.add_making), nothing else."""

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
