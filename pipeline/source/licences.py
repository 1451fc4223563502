"""Licence lineage: a remix must keep the terms of the design it reproduces.

A remix of a non-commercial design stays non-commercial, a remix of a
share-alike design keeps the same licence, and a licence outside SPDX
(`LicenseRef-...`, e.g. a patent holder's "free for non-commercial use") can
only be kept as it is. Catalogues that let contributors relicense remixes
freely spread licence errors (a GPL remix of the NC Prusa shield happened).
"""
from __future__ import annotations

from typing import Any

from ..model import Problem

ANY_LICENCE = None  # permissive originals: any licence, as long as the notice and attribution are kept

# Original licence -> the licences its remix may carry (ANY_LICENCE: all but those in NEEDS_ATTRIBUTION_KEPT).
REMIX_LICENCES: dict[str, tuple[str, ...] | None] = {
    "CC0-1.0": ANY_LICENCE,
    "MIT": ANY_LICENCE,
    "CERN-OHL-P-2.0": ANY_LICENCE,
    "CC-BY-4.0": ANY_LICENCE,
    "CC-BY-SA-3.0": ("CC-BY-SA-3.0", "CC-BY-SA-4.0"),  # BY-SA 3.0 allows "a later version"
    "CC-BY-SA-4.0": ("CC-BY-SA-4.0",),
    "CC-BY-NC-3.0": ("CC-BY-NC-3.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0"),
    "CC-BY-NC-4.0": ("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"),
    "CC-BY-NC-SA-3.0": ("CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0"),
    "CC-BY-NC-SA-4.0": ("CC-BY-NC-SA-4.0",),
    "CERN-OHL-W-2.0": ("CERN-OHL-W-2.0", "CERN-OHL-S-2.0"),
    "CERN-OHL-S-2.0": ("CERN-OHL-S-2.0",),
    "GPL-3.0-or-later": ("GPL-3.0-or-later",),
    "TAPR-OHL-1.0": ("TAPR-OHL-1.0",),  # its section 3: a modified design is distributed under this licence only
}
# Waivers: choosing one for a remix of an attribution licence would drop the credit the original requires.
ATTRIBUTION_DROPPING = ("CC0-1.0",)


def allowed_remix_licences(original: str) -> tuple[str, ...] | None:
    """The licences a remix of `original` may carry; None means any that keeps attribution.

    Raises KeyError for an original whose terms we do not know.
    """
    if original.startswith("LicenseRef-"):
        return (original,)
    return REMIX_LICENCES[original]


def _reason(original: str) -> str:
    if "-NC" in original:
        return "a remix of a non-commercial design stays non-commercial"
    if "-SA" in original or original in ("CERN-OHL-S-2.0", "CERN-OHL-W-2.0", "GPL-3.0-or-later"):
        return "a remix of a share-alike (reciprocal) design keeps the same licence"
    if original.startswith("LicenseRef-"):
        return "a remix of a design under a custom licence keeps that licence"
    return "a remix must keep the original's attribution"


def lineage_problems(data: dict[str, Any], where: str) -> list[Problem]:
    """Problems with design.yaml's licence given its provenance; [] when it is compatible."""
    provenance = data.get("provenance")
    if provenance is None:
        return []
    remix = provenance.get("remix_of")
    if provenance["origin"] == "remix" and remix is None:
        return [Problem(f"{where}: provenance.remix_of", "is missing (required when origin is remix); "
                        "give the original's title, url and licence")]
    if remix is None:
        return []
    if provenance["origin"] != "remix":
        return [Problem(f"{where}: provenance.origin",
                        f"{provenance['origin']!r} but remix_of is given; set origin: remix")]
    original, licence = remix["licence"], data["licence"]
    try:
        allowed = allowed_remix_licences(original)
    except KeyError:
        known = ", ".join(sorted(REMIX_LICENCES))
        return [Problem(f"{where}: provenance.remix_of.licence",
                        f"{original!r} is not a licence whose remix terms the catalogue knows; "
                        f"known: {known}, or LicenseRef-<name>")]
    if allowed is ANY_LICENCE:
        if licence in ATTRIBUTION_DROPPING:
            return [Problem(f"{where}: licence", f"{licence!r} would drop the attribution that {original} "
                            f"({remix['title']}) requires; choose a licence that keeps it, "
                            "e.g. CC-BY-4.0 or CERN-OHL-P-2.0")]
        return []
    if licence not in allowed:
        return [Problem(f"{where}: licence",
                        f"{licence!r} is not allowed for a remix of {remix['title']!r}, which is {original} "
                        f"(provenance.remix_of.licence): {_reason(original)}; allowed: {', '.join(allowed)}")]
    return []
