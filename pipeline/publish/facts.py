"""What a page, a bundle README, catalogue.json and okh.toml say about a design, computed once."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Artifact, Design, Original, PublishedVariant, Text, Variant

LICENCES = Path(__file__).resolve().parent / "licence_texts"
CATEGORY_TITLES = {"visor": "Visors", "ear-saver": "Ear savers", "adapter": "Adapters", "door-opener": "Door openers"}
CATEGORY_TITLES_FR = {"visor": "Visières", "ear-saver": "Attache-masques", "adapter": "Adaptateurs",
                      "door-opener": "Ouvre-portes"}
REVIEW_STATUS = {
    "prototype": ("Prototype", "Not reviewed: made and tried by its authors only."),
    "community-tested": ("Community tested", "Printed and used by makers; not reviewed by clinicians."),
    "clinically-reviewed": ("Clinically reviewed", "Reviewed by clinicians for the material and printer stated."),
}
UNREVIEWED = ("Not stated", "The design gives no review status: treat it as an unreviewed prototype.")


def text(field: Text | None, lang: str = "en") -> str:
    """A bilingual field's text in one language ('' when absent)."""
    return (getattr(field, lang) or "") if field is not None else ""


def licence_url(licence: str) -> str | None:
    return None if licence.startswith("LicenseRef-") else f"https://spdx.org/licenses/{licence}.html"


def licence_text(design: Design) -> str | None:
    """The licence's full text: the design folder's own LICENSE file first, else the vendored SPDX text."""
    for name in ("LICENSE", "LICENCE", "LICENSE.txt", "LICENCE.txt", "LICENSE.md"):
        own = design.folder / name
        if own.is_file():
            return own.read_text(encoding="utf-8")
    vendored = LICENCES / f"{design.licence}.txt"
    return vendored.read_text(encoding="utf-8") if vendored.is_file() else None


def review_status(design: Design) -> tuple[str, str]:
    return REVIEW_STATUS.get(design.review_status or "", UNREVIEWED)


def masses_g(design: Design, artifact: Artifact) -> list[tuple[str, float]]:
    """The solid mass of a variant in each of the design's materials (an upper bound: infill lowers it)."""
    return [(m.name, float(artifact.facts["mass_g"][m.name])) for m in design.materials]


def outer_dimensions_mm(artifact: Artifact) -> list[float]:
    return [round(v, 1) for v in artifact.facts["bounding_box_mm"]]


def changed_parameters(design: Design, variant: Variant) -> list[tuple[str, float]]:
    """The variant's values that differ from the parameters' defaults, in the parameters' order."""
    return [(p.name, variant.parameters[p.name]) for p in design.parameters
            if variant.parameters[p.name] != p.default]


def rebuild_command(design: Design, values: list[tuple[str, float]]) -> str:
    """The command that rebuilds the design locally with these values (`build.py export`, one -p per value)."""
    options = "".join(f" -p {name}={value:g}" for name, value in values)
    return f"python build.py export designs/{design.slug}{options}"


def remix_of(design: Design) -> Original | None:
    """The published design this one reproduces, if it says so."""
    return design.provenance.remix_of if design.provenance else None


def authors_line(design: Design) -> str:
    return ", ".join(a.name for a in design.authors)


def variant_summary(design: Design, v: PublishedVariant) -> dict[str, Any]:
    """What pages and the bundle README show of one variant."""
    variant = v.artifact.job.variant
    return {
        "variant": variant,
        "files": v.files,
        "picture": v.picture,
        "glb": next(d for d in v.files if d.format == "glb"),
        "dimensions": outer_dimensions_mm(v.artifact),
        "masses": masses_g(design, v.artifact),
        "command": rebuild_command(design, changed_parameters(design, variant)),
    }
