"""The 1:1 template of a visor's sheet: an SVG in millimetres and A4 and US-letter PDFs, from design.yaml's `sheet`.

It shows the top of the sheet (its outline, its top edge and centre), each hole at its declared position and
diameter with a cross at its centre for a drill or a punch, a 50 mm scale bar, and a line in both languages
telling the reader to print at 100 %: a printer's "fit to page" shrinks a template by a few per cent
(DOMAIN.md). Written with the shared 2D writer (pipeline/drawing); the files are kept in a cache under
the hash of what they draw and of the writer's code, like the other published files.
"""
from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from ..drawing import Circle, Drawing, Label, Line, Outline, pdf_bytes, svg_bytes
from ..fsutil import link_or_copy
from ..model import Design, Sheet

DRAWING_PACKAGE = Path(__file__).resolve().parents[1] / "drawing"
PAGES = {"a4": "A4", "letter": "letter"}
STRIP_MM = 70.0  # how much of the sheet below its top edge the template shows
ABOVE_MM = 22.0  # room above the top edge for the title
BELOW_MM = 50.0  # room below the strip for the explanations and the scale bar
SCALE_BAR_MM = 50.0
DEFAULT_SIZE_MM = (297.0, 210.0)  # A4 landscape, when design.yaml gives no size
DEFAULT_EDGE_MM = 10.0  # as on the Prusa RC3 sheet (DOMAIN.md), when design.yaml gives no distance


def template_names(slug: str) -> dict[str, str]:
    """The published files, `template` in each name: the SVG, then a PDF per page size."""
    names = {"svg": f"{slug}-sheet-template.svg"}
    return names | {page: f"{slug}-sheet-template-{page}.pdf" for page in PAGES}


def sheet_geometry(sheet: Sheet) -> tuple[float, float, float]:
    """(width, height, top edge to the holes' centres) in mm."""
    width, height = sheet.size_mm or DEFAULT_SIZE_MM
    return float(width), float(height), float(sheet.hole_edge_mm or DEFAULT_EDGE_MM)


def template_drawing(design: Design) -> Drawing:
    sheet = design.sheet
    width, height, edge = sheet_geometry(sheet)
    strip = min(STRIP_MM, height)
    total = ABOVE_MM + strip + BELOW_MM
    top, centre = total - ABOVE_MM, width / 2
    bottom = top - strip
    if strip == height:
        outline = Outline(((0, bottom), (0, top), (width, top), (width, bottom)))
    else:  # the sheet goes on below: its sides only as far as the template shows
        outline = Outline(((0, bottom), (0, top), (width, top), (width, bottom)), closed=False)
    shapes: list = [outline, Line((centre, top + 4), (centre, bottom))]
    d = sheet.hole_diameter_mm
    for x in sheet.holes_mm:
        shapes += [Circle((centre + x, top - edge), d),
                   Line((centre + x - d / 2 - 2, top - edge), (centre + x + d / 2 + 2, top - edge)),
                   Line((centre + x, top - edge - d / 2 - 2), (centre + x, top - edge + d / 2 + 2))]
    shapes += [
        Label((centre, top + 10), f"{design.title.en} · {design.title.fr or design.title.en}", 4.5, "middle"),
        Label((centre + 2, top + 1.5), "top edge of the sheet · bord supérieur de la feuille", 2.8),
        Label((centre + 2, bottom + 2), "middle · milieu", 2.8),
        Label((centre, bottom - 7), _holes_line(sheet, edge, "en"), 3.0, "middle"),
        Label((centre, bottom - 11.5), _holes_line(sheet, edge, "fr"), 3.0, "middle"),
        Label((centre, bottom - 18), "Print at 100\u00a0% (no “fit to page”): the bar below must measure 50\u00a0mm.",
              3.2, "middle"),
        Label((centre, bottom - 22.5),
              "Imprimez à 100\u00a0% (sans «\u00a0ajuster à la page\u00a0») : la barre ci-dessous doit mesurer 50\u00a0mm.",
              3.2, "middle"),
        Label((centre, bottom - 28.5), "Lay the sheet's top edge on the line, its middle on the centre mark; "
              "punch or drill at the crosses.", 2.8, "middle"),
        Label((centre, bottom - 32.5), "Posez le bord supérieur de la feuille sur la ligne, son milieu sur le repère "
              "central ; perforez ou percez aux croix.", 2.8, "middle"),
        *_scale_bar(centre, 8.0),
    ]
    return Drawing(width, total, tuple(shapes), title=f"{design.slug}: 1:1 sheet template")


def _holes_line(sheet: Sheet, edge: float, lang: str) -> str:
    def n(value: float) -> str:
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "fr" else text
    count, d = len(sheet.holes_mm), n(sheet.hole_diameter_mm)
    at = ", ".join(n(x) for x in sheet.holes_mm)
    if lang == "fr":
        return (f"{count} trous de Ø{d}\u00a0mm à {n(edge)}\u00a0mm sous le bord, à {at}\u00a0mm du milieu")
    return f"{count} holes of Ø{d}\u00a0mm, {n(edge)}\u00a0mm below the edge, at {at}\u00a0mm from the middle"


def _scale_bar(centre: float, y: float) -> list:
    left, right = centre - SCALE_BAR_MM / 2, centre + SCALE_BAR_MM / 2
    return [Line((left, y), (right, y)), Line((left, y - 2.5), (left, y + 2.5)), Line((right, y - 2.5), (right, y + 2.5)),
            Label((centre, y + 2), "50\u00a0mm", 3.0, "middle")]


def template_files(design: Design) -> dict[str, bytes]:
    """The template's files by published name."""
    drawing = template_drawing(design)
    names = template_names(design.slug)
    files = {names["svg"]: svg_bytes(drawing)}
    return files | {names[page]: pdf_bytes(drawing, size) for page, size in PAGES.items()}


def write_templates(design: Design, folder: Path, cache_dir: Path) -> list[Path]:
    """The template's files in `folder`, linked from the cache (made once for what they draw)."""
    drawing = template_drawing(design)
    key = hashlib.sha256(repr(drawing).encode() + _writer_digest().encode()).hexdigest()
    entry = cache_dir / key
    names = template_names(design.slug)
    if not all((entry / name).is_file() for name in names.values()):
        partial = cache_dir / f".{key}.{os.getpid()}.part"
        partial.mkdir(parents=True, exist_ok=True)
        for name, data in template_files(design).items():
            (partial / name).write_bytes(data)
        if entry.exists():  # an older entry from before a name change: replaced whole
            for stale in entry.iterdir():
                stale.unlink()
            entry.rmdir()
        os.replace(partial, entry)
    targets = []
    for name in names.values():
        link_or_copy(entry / name, folder / name)
        targets.append(folder / name)
    return targets


@cache
def _writer_digest() -> str:
    """The 2D writer's code and this module's, and the PDF library's version: any change makes new files."""
    import reportlab

    digest = hashlib.sha256(reportlab.Version.encode())
    for source in sorted(DRAWING_PACKAGE.glob("*.py")) + [Path(__file__)]:
        digest.update(source.read_bytes())
    return digest.hexdigest()
