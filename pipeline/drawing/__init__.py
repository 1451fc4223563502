"""The shared 2D writer: shapes in millimetres (y up) written as SVG and PDF at 1:1 scale.

Sheet templates (pipeline/publish) and cut files use the same shapes; each output format has one module.
"""

from .model import Circle, Drawing, Label, Line, Outline, Shape
from .pdf import page_size_mm, pdf_bytes
from .svg import svg_bytes

__all__ = ["Circle", "Drawing", "Label", "Line", "Outline", "Shape", "page_size_mm", "pdf_bytes", "svg_bytes"]
