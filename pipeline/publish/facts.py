"""What a page, a bundle README, catalogue.json and okh.toml say about a design, computed once."""
from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..built import Artifact
from ..making.records import PublishedVariant
from ..model import Design, Original, ParameterValue, Text, Variant
from ..templating import localized
from ..trust_records import REVIEW_SCOPES, PublishedReview

LICENCES = Path(__file__).resolve().parent / "licence_texts"
# Each review scope (weakest first, as model.REVIEW_SCOPES) and no review at all: (en, fr) title and sentence.
SCOPES = {
    None: (("Prototype", "Prototype"),
           ("Not reviewed: made and tried by its authors only.", "Non évalué : fabriqué et essayé par ses auteurs seulement.")),
    "maker-test-print": (("Test-printed by a maker", "Imprimé à l'essai par un maker"),
                         ("A maker printed these exact files and tried the part; no wider review.",
                          "Un maker a imprimé ces fichiers exacts et essayé la pièce ; pas d'évaluation plus large.")),
    "community-test": (("Community tested", "Testé par la communauté"),
                       ("Several makers printed and used these exact files; not reviewed by clinicians.",
                        "Plusieurs makers ont imprimé et utilisé ces fichiers exacts ; pas d'évaluation clinique.")),
    "requalification": (("Requalified", "Requalifié"),
                        ("These exact files were assessed for the regulatory category named in the review.",
                         "Ces fichiers exacts ont été évalués pour la catégorie réglementaire nommée dans l'évaluation.")),
    "clinical-assessment": (("Clinically assessed", "Évalué cliniquement"),
                            ("Clinicians assessed these exact files for the material and printer stated.",
                             "Des cliniciens ont évalué ces fichiers exacts pour le matériau et l'imprimante indiqués.")),
}


@dataclass(frozen=True)
class ReviewStatus:
    """The strongest review whose files still match this build, and the variants it covers."""

    scope: str | None  # None: no review matches: a prototype
    variants: tuple[str, ...] = ()

    @property
    def reviewed(self) -> bool:
        return self.scope is not None

    def label(self, lang: str = "en") -> str:
        return SCOPES[self.scope][0][lang == "fr"]

    def sentence(self, lang: str = "en") -> str:
        return SCOPES[self.scope][1][lang == "fr"]


NOT_REVIEWED = ReviewStatus(None)


def text(field: Text | str | None, lang: str = "en") -> str:
    """A free text in one language, the English text standing in for a missing translation ('' when absent)."""
    return localized(field, lang)[0]


def licence_url(licence: str) -> str | None:
    return None if licence.startswith("LicenseRef-") else f"https://spdx.org/licenses/{licence}.html"


def licence_text(design: Design) -> str | None:
    """The licence's full text: the design folder's own LICENSE file first, else the vendored SPDX text."""
    for name in ("LICENSE", "LICENCE", "LICENSE.txt", "LICENCE.txt", "LICENSE.md"):
        own = design.folder / name
        if own.is_file():
            return own.read_text(encoding="utf-8")
    vendored = LICENCES / f"{design.licence}.txt"
    return _with_copyright(vendored.read_text(encoding="utf-8"), design) if vendored.is_file() else None


def _with_copyright(text: str, design: Design) -> str:
    """The MIT text's copyright line names the design's authors and years instead of placeholders."""
    years = sorted({entry.date[:4] for entry in design.changelog if entry.date})
    span = "-".join(dict.fromkeys((years[0], years[-1]))) + " " if years else ""
    return text.replace("<year> <copyright holders>", f"{span}{authors_line(design)}")


def review_status(reviews: tuple[PublishedReview, ...]) -> ReviewStatus:
    """Derived from the review records, never declared: the strongest scope among those still matching."""
    matching = [r.check.record for r in reviews if r.check.matches]
    if not matching:
        return NOT_REVIEWED
    strongest = max(REVIEW_SCOPES.index(r.scope) for r in matching)
    scope = REVIEW_SCOPES[strongest]
    return ReviewStatus(scope, tuple(sorted({r.variant for r in matching if r.scope == scope})))


def masses_g(design: Design, artifact: Artifact) -> list[tuple[str, float]]:
    """The solid mass of a variant in each of the design's filaments (an upper bound: infill lowers it)."""
    return [(m.name, float(artifact.facts.mass_g[m.name])) for m in design.materials]


def variant_masses(v: PublishedVariant) -> list[tuple[str, float]]:
    """A variant's mass in its own materials: the first way of making that states one (a cut design: each sheet
    material's parts), else the solid in each of the design's filaments."""
    stated = next((m.made.masses_g for m in v.made if m.made.masses_g), None)
    return list(stated) if stated else masses_g(v.artifact.job.design, v.artifact)


def making_summary(variants: tuple[PublishedVariant, ...]) -> list[dict[str, Any]]:
    """Per way of making, per variant: its files (title and name) and its machines' figures, whatever the method."""
    from ..making import METHODS

    names = list(dict.fromkeys(m.made.method for v in variants for m in v.made))
    return [{"name": name, "title": METHODS[name].title if name in METHODS else Text(name),
             "variants": [{"variant": v.artifact.job.variant.name,
                           "files": [(f.title, d.name) for m in v.made if m.made.method == name
                                     for f, d in zip(m.made.files, m.downloads, strict=True)],
                           "machines": [f for m in v.made if m.made.method == name for f in m.made.machines]}
                          for v in variants if v.made_by(name) is not None]}
            for name in names]


def outer_dimensions_mm(artifact: Artifact) -> list[float]:
    return [round(v, 1) for v in artifact.facts.bounding_box_mm]


def changed_parameters(design: Design, variant: Variant) -> list[tuple[str, ParameterValue]]:
    """The variant's values that differ from the parameters' defaults, in the parameters' order."""
    return [(p.name, variant.parameters[p.name]) for p in design.parameters
            if variant.parameters[p.name] != p.default]


def rebuild_command(design: Design, values: list[tuple[str, ParameterValue]]) -> str:
    """The command that rebuilds the design locally with these values (`build.py export`, one -p per value)."""
    options = "".join(f" -p {shlex.quote(f'{name}={command_value(value)}')}" for name, value in values)
    return f".venv/bin/python build.py export designs/{design.slug}{options}"


def command_value(value: ParameterValue) -> str:
    """A value as `-p name=value` takes it: true/false, a string as it is, a number in its shortest form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else f"{value:g}"


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
        "masses": variant_masses(v),
        "command": rebuild_command(design, changed_parameters(design, variant)),
    }
