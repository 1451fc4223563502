"""Plain data handed from stage to stage."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .materials import DENSITY_G_PER_CM3
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


@dataclass(frozen=True)
class DesignSource:
    """A folder under designs/ as found on disk, not yet read."""

    slug: str
    folder: Path
    metadata_path: Path


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
    view: str | None = None  # a side the part is rendered from: iso, top, bottom, front, back, left, right
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
class VariantJob:
    """One variant to build: everything that determines its files, and their cache key."""

    design: Design
    variant: Variant
    mesh: MeshSettings
    key: str

    @property
    def label(self) -> str:
        return f"{self.design.slug}/{self.variant.name}"

    @property
    def stem(self) -> str:
        return variant_stem(self.design.slug, self.variant.name)


class FactsError(ValueError):
    """A reply or a facts.json that is not what the measuring code writes: the variant's failure, never the build's."""


LARGEST_COUNT = 10**9  # solids, triangles, show_object calls: far above any printable part
LARGEST_SIZE = 1e9  # mm, mm³, g


@dataclass(frozen=True)
class Facts:
    """What was measured on one variant's shape and STL, by code no script ran in (pipeline/cad/worker/measure.py).

    Built only through `from_json`, which checks every field of the untrusted text strictly: the exact keys,
    their types (a bool is no number), finite numbers in range, three sizes, one mass per known material.
    """

    solids: int
    valid: bool
    volume_mm3: float
    bounding_box_mm: tuple[float, float, float]
    mass_g: dict[str, float]  # material -> grams, every material of materials.DENSITY_G_PER_CM3
    triangles: int
    watertight: bool
    winding_consistent: bool
    mesh_volume_mm3: float
    shown_objects: int  # show_object() calls: one part each, as CQ-editor shows them

    @classmethod
    def from_json(cls, data: Any) -> Facts:
        if not isinstance(data, dict):
            raise FactsError(f"facts must be an object, not {type(data).__name__}")
        names = {f.name for f in fields(cls)}
        if set(data) != names:
            raise FactsError(f"facts must have exactly the keys {', '.join(sorted(names))}")
        mass = data["mass_g"]
        if not isinstance(mass, dict) or set(mass) != set(DENSITY_G_PER_CM3):
            raise FactsError("facts.mass_g must give one mass per material")
        box = data["bounding_box_mm"]
        if not isinstance(box, list | tuple) or len(box) != 3:
            raise FactsError("facts.bounding_box_mm must be three sizes")
        return cls(
            solids=_count(data, "solids"), valid=_flag(data, "valid"), volume_mm3=_number(data, "volume_mm3", signed=True),
            bounding_box_mm=tuple(_number(dict(enumerate(box)), i, "bounding_box_mm") for i in range(3)),
            mass_g={name: _number(mass, name, "mass_g", signed=True) for name in sorted(mass)},
            triangles=_count(data, "triangles"), watertight=_flag(data, "watertight"),
            winding_consistent=_flag(data, "winding_consistent"),
            mesh_volume_mm3=_number(data, "mesh_volume_mm3", signed=True), shown_objects=_count(data, "shown_objects"),
        )

    def to_json(self) -> dict[str, Any]:
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}


def _count(data: dict, key: str) -> int:
    value = data[key]
    if type(value) is not int or not 0 <= value <= LARGEST_COUNT:
        raise FactsError(f"facts.{key} must be a whole number from 0 to {LARGEST_COUNT}")
    return value


def _flag(data: dict, key: str) -> bool:
    if type(data[key]) is not bool:
        raise FactsError(f"facts.{key} must be true or false")
    return data[key]


def _number(data: dict, key: Any, within: str = "", signed: bool = False) -> float:
    """A finite number (an int or a float, never a bool), at most LARGEST_SIZE; negative only when `signed`."""
    value = data[key]
    name = f"{within}[{key}]" if within else key
    if type(value) not in (int, float) or not math.isfinite(value) or abs(value) > LARGEST_SIZE \
            or (value < 0 and not signed):
        raise FactsError(f"facts.{name} must be a finite number of at most {LARGEST_SIZE:g}"
                         + ("" if signed else ", not negative"))
    return float(value)


@dataclass(frozen=True)
class Artifact:
    """The built files of one variant, in the cache, with the facts measured on them."""

    job: VariantJob
    folder: Path  # cache entry holding model.stl, model.step, model.glb, model.3mf, facts.json
    facts: Facts

    def file(self, fmt: str) -> Path:
        return self.folder / f"model.{fmt}"

    @property
    def parts(self) -> int:
        """Separate solids it holds: design.yaml's number, else one per show_object() call."""
        return self.job.variant.parts if self.job.variant.parts is not None else self.facts.shown_objects


@dataclass(frozen=True)
class SliceFigures:
    """What the slicer's G-code says of one print: an estimate for the profile it was sliced with."""

    seconds: int
    filament_mm: float
    filament_cm3: float
    filament_g: float
    cost: float  # in the filament profile's currency (euros)

    def scaled(self, factor: float) -> SliceFigures:
        """These figures times `factor`, to the slicer's own precision (whole seconds, hundredths)."""
        return SliceFigures(seconds=round(self.seconds * factor), filament_mm=round(self.filament_mm * factor, 2),
                            filament_cm3=round(self.filament_cm3 * factor, 2),
                            filament_g=round(self.filament_g * factor, 2), cost=round(self.cost * factor, 2))


@dataclass(frozen=True)
class ProductionRun:
    """One variant sliced for one reference printer, with the design's print settings on top."""

    printer: str  # the printer profile's name, profiles/printer-<name>.ini
    material: str
    single: SliceFigures  # one copy, the design's print settings
    reference: SliceFigures  # one copy, the 0.20 mm reference print settings
    copies: int  # the plate a workshop would load: the most copies that fit the bed and the plate budget
    plate: SliceFigures  # that plate: a whole slice of `plate_sliced_copies` copies as arranged, scaled to `copies`
    plate_3mf: Path  # the arranged plate, in the slice cache
    plate_change_s: int  # the operator's time between two plates
    parts_per_copy: int = 1  # a stack of N headbands: N
    plate_limit: str = "bed"  # what limited the plate: "bed" (no copy more fits) or "time" (the plate budget)
    plate_budget_s: int = 86400  # the printer profile's plate_hours
    slicer: str = ""  # the slicer's version line, e.g. PrusaSlicer-2.5.0+linux-x64-GTK3
    # the copies of the plate sliced for the figures: `copies`, or a copy or two off; required, since no default
    # could say how a figure was obtained
    plate_sliced_copies: int = field(kw_only=True)

    @property
    def plate_sliced_whole(self) -> bool:
        """Whether the plate's figures are a slice of this very plate (else of a plate a copy or two off, scaled)."""
        return self.plate_sliced_copies == self.copies

    @property
    def units_per_day(self) -> float:
        """Parts one printer makes in 24 h of such plates, a plate change between each."""
        return self.copies * self.parts_per_copy * 86400 / (self.plate.seconds + self.plate_change_s)


@dataclass(frozen=True)
class CutPartRun:
    """One cut part of a variant on one reference laser: an estimate for the laser's profile."""

    part: str  # CutPart.name
    material: str
    thickness_mm: float
    copies: int  # in one finished unit
    cut_length_mm: float  # every contour of one part
    pierces: int  # one per contour
    part_seconds: float  # one part: cutting, piercing, the moves between its contours
    sheet_mm: tuple[float, float]
    parts_per_sheet: int  # from nesting the real outline (cutting/nesting.py)
    sheet_seconds: float  # a full sheet: cutting, piercing, every move; the sheet change is apart
    sheets_per_load: int  # stock sheets laid on the bed at once (several A4 sheets on a large bed); 1 for a bed-sized sheet
    sheet_dxf: Path  # the nested sheet, in the cutting cache
    sheet_svg: Path


@dataclass(frozen=True)
class CuttingRun:
    """One variant on one reference laser: every cut part it needs, each nested on its own sheet."""

    laser: str  # the profile's name, cutting/profiles/laser-<name>.toml
    parts: tuple[CutPartRun, ...]
    sheet_change_s: int
    attended_hours_per_day: float  # a laser is never left cutting alone

    @property
    def seconds_per_unit(self) -> float:
        """Laser time for one finished unit: each part's share of a bed load (its sheets, then one change)."""
        return sum(p.copies * (p.sheet_seconds * p.sheets_per_load + self.sheet_change_s)
                   / (p.parts_per_sheet * p.sheets_per_load) for p in self.parts)

    @property
    def units_per_day(self) -> float:
        """Finished units one laser cuts in its attended hours of a day, sheet changes included."""
        return self.attended_hours_per_day * 3600 / self.seconds_per_unit


@dataclass(frozen=True)
class CutFiles:
    """One cut part of a variant as 2D files, in the cutting cache: the same for every laser."""

    part: str
    dxf: Path
    svg: Path
    size_mm: tuple[float, float]  # its bounding box, the drawings' size
    area_mm2: float = 0.0  # its outline's area, holes removed: with the sheet's thickness, its volume


@dataclass(frozen=True)
class CutVariant:
    files: tuple[CutFiles, ...]  # the design's cutting.parts order
    runs: tuple[CuttingRun, ...]  # one per reference laser that cuts every part


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


@dataclass(frozen=True)
class PublishedCutPart:
    files: CutFiles
    dxf: Download
    svg: Download


@dataclass(frozen=True)
class PublishedCutRun:
    run: CuttingRun
    sheets: tuple[tuple[Download, Download], ...]  # per part, in run.parts' order: the nested sheet's DXF and SVG


@dataclass(frozen=True)
class PublishedRun:
    run: ProductionRun
    plate: Download  # the arranged plate 3MF


# Review scopes, weakest first: a page shows the strongest review whose files still match.
REVIEW_SCOPES = ("maker-test-print", "community-test", "requalification", "clinical-assessment")


@dataclass(frozen=True)
class ReviewRecord:
    """reviews/<slug>/<date>-<who>.yaml: who reviewed exactly which files of a design, and what they found."""

    path: str  # as messages name it: reviews/<slug>/<file>.yaml
    slug: str
    reviewer: str
    reviewer_url: str
    reviewer_kind: str  # "person" or "lab"
    date: str  # YYYY-MM-DD
    scope: str  # one of REVIEW_SCOPES
    scope_detail: dict[str, str]  # en/fr, e.g. the French EAP category of a requalification
    findings: dict[str, str]  # en/fr
    version: str
    variant: str
    parameters: dict[str, ParameterValue]
    commit: str  # the git commit of the design's script that was built
    files: dict[str, str]  # published file name -> SHA-256


@dataclass(frozen=True)
class ReviewCheck:
    """A record checked against this build: its files are the ones built now, or were rebuilt from its commit."""

    record: ReviewRecord
    matches: bool
    reviewed_entry: Path | None = None  # when not matching: the cache entry rebuilt from the recorded commit


@dataclass(frozen=True)
class PrintReport:
    """reports/<slug>/<date>-<who>.yaml: one maker's print of one published file."""

    path: str
    slug: str
    maker: str
    maker_url: str
    date: str
    variant: str
    file_name: str
    sha256: str  # of the file printed
    printer: str
    slicer: str
    material: str
    settings: dict[str, Any]
    result: str  # worked, needed-changes or failed
    notes: str
    photo: bytes | None = None  # re-encoded, every metadata field removed
    photo_format: str = ""  # "jpg" or "png"
    photo_alt: str = ""


@dataclass(frozen=True)
class DesignTrust:
    """What reviewers and makers said about one design, checked against this build."""

    reviews: tuple[ReviewCheck, ...] = ()
    reports: tuple[PrintReport, ...] = ()


@dataclass(frozen=True)
class PublishedReview:
    check: ReviewCheck
    files: tuple[Download, ...] = ()  # when changed: the reviewed files, published under reviewed/<commit>/
    checksums: Download | None = None  # their own SHA256SUMS, beside them


@dataclass(frozen=True)
class PublishedReport:
    report: PrintReport
    current: bool  # the file printed is one published now
    photo: Download | None = None


@dataclass(frozen=True)
class PublishedStep:
    """An assembly step with its picture: a view rendered from the design's CAD, or its cleaned photo."""

    step: AssemblyStep
    picture: Download | None = None


@dataclass
class BuildReport:
    """What a build did, for the summary line and for tests."""

    designs: list[Design] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cad_jobs_run: int = 0
    cad_jobs_cached: int = 0
    slicer_runs: int = 0
    slices_cached: int = 0
    workers_started: int = 0
    peak_worker_rss_kb: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # wall time of each stage
    cpu_timings: dict[str, float] = field(default_factory=dict)  # CPU time, this process and its children
    untranslated: dict[str, list[str]] = field(default_factory=dict)  # slug: free texts with no French
    inferred_parts: dict[str, int] = field(default_factory=dict)  # slug: parts counted, design.yaml declaring none

    @property
    def ok(self) -> bool:
        return not self.problems
