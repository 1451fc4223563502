"""Plain data handed from stage to stage."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .shown_text import shown


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, phrased for the person who can fix it.

    `where` is what the user reads; code that asks which design, variant or printer a problem is about reads
    the fields (set by `Problem.at`), never `where`."""

    where: str  # "designs/x/design.yaml: parameters.width.max" or "designs/x/x.py:12 [adult]"
    message: str  # may quote a contributor's text (a script's error, its prints): shown escaped
    design: str | None = field(default=None, kw_only=True)  # the design's slug
    variant: str | None = field(default=None, kw_only=True)
    printer: str | None = field(default=None, kw_only=True)  # a reference printer's profile name
    file: str | None = field(default=None, kw_only=True)  # relative to the project, as `where` names it
    line: int | None = field(default=None, kw_only=True)

    @classmethod
    def at(cls, message: str, *, file: str, line: int | None = None, design: str | None = None,
           variant: str | None = None, printer: str | None = None) -> Problem:
        """A problem located by its fields; `where` reads `file[:line] [variant] on printer`."""
        where = file + (f":{line}" if line else "") + (f" [{variant}]" if variant else "")
        where += f" on {printer}" if printer else ""
        return cls(where, message, design=design, variant=variant, printer=printer, file=file, line=line)

    def __str__(self) -> str:
        return shown(f"{self.where}: {self.message}")


ParameterValue = float | bool | str  # CQGI's parameter kinds: a number, True/False, a string


@dataclass(frozen=True)
class Text:
    """A free text in English, and in French when the design gives it (design.yaml: a plain string is English)."""

    en: str
    fr: str | None = None

    @classmethod
    def of(cls, value: str | dict[str, str]) -> Text:
        return cls(en=value) if isinstance(value, str) else cls(**value)


@dataclass(frozen=True)
class Person:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Original:
    """The published design a remix reproduces."""

    title: str
    url: str
    licence: str
    authors: str | None = None


@dataclass(frozen=True)
class Provenance:
    origin: str  # "original" or "remix"
    remix_of: Original | None = None
    notes: Text | None = None


@dataclass(frozen=True)
class Material:
    name: str
    nozzle_temperature_c: int | None = None
    bed_temperature_c: int | None = None
    notes: Text | None = None


@dataclass(frozen=True)
class PrintSettings:
    nozzle_mm: float
    layer_height_mm: float
    perimeters: int
    infill_percent: float
    supports: bool
    first_layer_height_mm: float | None = None
    notes: Text | None = None


@dataclass(frozen=True)
class MeshSettings:
    tolerance_mm: float = 0.05
    angular_tolerance_rad: float = 0.2


@dataclass(frozen=True)
class PrintBed:
    x_mm: float
    y_mm: float
    z_mm: float


@dataclass(frozen=True)
class Rule:
    check: str
    message: Text


@dataclass(frozen=True)
class Sheet:
    """The transparent sheet a visor takes, with its punched holes."""

    name: Text
    holes_mm: tuple[float, ...]
    hole_diameter_mm: float
    size_mm: tuple[float, ...] | None = None
    thickness_mm: tuple[float, ...] | None = None  # (min, max)
    hole_edge_mm: float | None = None  # top edge to the holes' centres


BOM_UNITS = ("pieces", "mm", "g", "ml")
# The sides an assembly step's picture is rendered from (pipeline/pictures/views.py draws each; "exploded": the
# parts moved apart, seen as iso; "sheet": the design's transparent sheet with its holes, from its `sheet`).
# The schema's steps[].view enum is this list (tests/test_enumerations.py).
STEP_VIEWS = ("iso", "top", "bottom", "front", "back", "left", "right", "exploded", "sheet")


@dataclass(frozen=True)
class BomItem:
    """One thing a unit needs besides its printed part, as design.yaml declares it."""

    name: Text
    unit: str  # one of BOM_UNITS
    specification: Text  # precise enough to buy; {parameter} stands for the variant's value
    quantity: float | str | None = None  # per unit: a number or an expression (rules.py); None: left open (see note)
    optional: bool = False
    connects_to: bool = False  # what the part connects to or is used with: listed, never bought with it
    substitutes: tuple[Text, ...] = ()
    variants: tuple[str, ...] = ()  # only these variants; every variant when empty
    note: Text | None = None


@dataclass(frozen=True)
class Bom:
    unit: Text  # what one unit is: "one face shield"
    items: tuple[BomItem, ...]
    parts_per_unit: int = 1  # printed parts (solids) one unit takes
    note: Text | None = None


@dataclass(frozen=True)
class BomLine:
    """A BOM item for one variant: its quantity per unit evaluated, its specification filled in."""

    name: Text
    quantity: float | None  # None: left open by the design (note says which choice)
    unit: str
    specification: Text
    optional: bool = False
    connects_to: bool = False
    substitutes: tuple[Text, ...] = ()
    note: Text | None = None
    printed: bool = False  # the variant's own printed part


@dataclass(frozen=True)
class AssemblyStep:
    text: Text
    view: str | None = None  # one of STEP_VIEWS: the side the part is rendered from
    photo: str | None = None  # a JPEG or PNG in the design's folder
    alt: Text | None = None
    warning: Text | None = None
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class CutPart:
    """One part of a variant cut from sheet stock: the script's show_object() call of the same rank."""

    name: str
    title: Text
    material: str
    thickness_mm: float | str  # a number, or the name of the parameter that sets it
    copies: int = 1  # in one finished unit
    sheet_mm: tuple[float, ...] | None = None  # the stock sheet; the laser's reference sheet when None

    def thickness_for(self, values: dict[str, ParameterValue]) -> float:
        return float(values[self.thickness_mm]) if isinstance(self.thickness_mm, str) else float(self.thickness_mm)


@dataclass(frozen=True)
class Cutting:
    parts: tuple[CutPart, ...]


@dataclass(frozen=True)
class Connector:
    standard: str
    size_mm: int
    gender: str
    end: str


@dataclass(frozen=True)
class ChangelogEntry:
    version: str
    changes: Text
    date: str | None = None


@dataclass(frozen=True)
class Parameter:
    name: str
    default: ParameterValue
    unit: str  # "" for booleans and strings
    min: float | None  # None for booleans and strings
    max: float | None
    description: Text
    integer: bool = False
    kind: str = "number"  # "number", "boolean" or "string"
    choices: tuple[str, ...] = ()  # the allowed values of a string
    label: str = ""  # a readable name for the page; the script's name when empty

    @property
    def title(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Variant:
    name: str
    description: Text
    parameters: dict[str, ParameterValue]  # every parameter, defaults filled in
    parts: int | None = 1  # separate solids it must show (a stack of N parts: N); None: one per show_object call


def variant_stem(slug: str, variant: str) -> str:
    """The name every file of one variant starts with: `<slug>-<variant>` (+ `.stl`, `.step`, `-plate-….3mf`).

    The one place that names a variant's files: downloads, review records, print reports, plates, the STEP
    product and `export` all read it from here."""
    return f"{slug}-{variant}"


@dataclass(frozen=True, kw_only=True)
class Design:
    """A validated design: design.yaml's fields under their own names, plus where it lives."""

    slug: str
    folder: Path
    script_path: Path
    id: str
    title: Text
    summary: Text
    category: str
    licence: str
    authors: tuple[Person, ...]
    script: str  # the script's file name, as design.yaml gives it
    parameters: tuple[Parameter, ...]
    variants: tuple[Variant, ...]
    made_by: tuple[str, ...] = ("printing",)  # the ways of making it (pipeline/making/): names in METHODS
    materials: tuple[Material, ...] = ()  # the filaments it is printed in: a printed design's (schema)
    print_settings: PrintSettings | None = None  # a printed design's, and only a printed design's (schema)
    tags: tuple[Text, ...] = ()  # English as design.yaml writes them; French from designs/tags.yml
    parts: int | str | None = None  # as given: a number, or the name of the integer parameter that counts them
    mesh: MeshSettings = MeshSettings()
    build_time_limit_s: int | None = None  # seconds one variant may take, for a heavy design
    print_bed: PrintBed | None = None
    provenance: Provenance | None = None
    rules: tuple[Rule, ...] = ()
    sheet: Sheet | None = None
    connectors: tuple[Connector, ...] = ()
    cutting: Cutting | None = None
    sewing: dict | None = None  # design.yaml's sewing block as checked by the schema; typed by pipeline/sewing/
    intended_use: Text | None = None
    regulatory_status: Text | None = None
    hygiene: Text | None = None
    version: str | None = None
    changelog: tuple[ChangelogEntry, ...] = ()
    bom: Bom | None = None
    steps: tuple[AssemblyStep, ...] = ()

    def parts_for(self, values: dict[str, ParameterValue]) -> int | None:
        """How many separate solids the design shows with these parameter values."""
        if isinstance(self.parts, str):
            return int(values[self.parts])
        return self.parts  # None: one part per show_object() call, counted by the worker


@dataclass(frozen=True)
class Download:
    """One published file."""

    path: str  # relative to the docs folder: downloads/<slug>/<name>
    size: int
    sha256: str
    role: str = field(default="model", kw_only=True)  # one of making.contract.FILE_ROLES: what it is, where it goes

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def format(self) -> str:
        return self.name.rsplit(".", 1)[-1]
