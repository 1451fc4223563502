"""A photo, made safe to publish (a print report's, an assembly step's): JPEG or PNG, at most 500 kB, re-encoded with no metadata at all.

Only the pixels are kept: a new image is made from them and encoded afresh, so
no EXIF (GPS position, camera serial, date), XMP, IPTC, ICC profile or PNG text
chunk of the original can reach the site. The same photo gives the same bytes.
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps

MAX_PHOTO_BYTES = 500_000  # 500 kB, as CONTRIBUTING.md says
MAX_PIXELS = 40_000_000  # a small file can still decode to a huge image
LONGEST_SIDE_PX = 1600  # enough for a page; lighter to serve
SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
SUFFIX = {"JPEG": "jpg", "PNG": "png"}


class PhotoError(Exception):
    """Why a photo cannot be published, with the fix."""


def clean_photo(path: Path) -> tuple[bytes, str]:
    """The photo's pixels in a fresh file, and its suffix ("jpg" or "png")."""
    if path.is_symlink() or not path.is_file():
        raise PhotoError(f"{path.name}: no such file next to the report; add the photo or remove the photo field")
    size = path.stat().st_size
    if size > MAX_PHOTO_BYTES:
        raise PhotoError(f"{path.name} is {size / 1000:.0f} kB ({size} bytes); the limit is {MAX_PHOTO_BYTES // 1000} kB: "
                         "resize it (e.g. 1600 px wide) or save it with more compression")
    raw = path.read_bytes()
    kind = next((k for sig, k in SIGNATURES.items() if raw.startswith(sig)), None)
    if kind is None:
        raise PhotoError(f"{path.name} is not a JPEG or PNG file; save the photo as JPEG or PNG")
    return _reencode(raw, kind, path.name), SUFFIX[kind]


def _reencode(raw: bytes, kind: str, name: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=[kind]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoError(f"{name} is {image.width} × {image.height} pixels; at most {MAX_PIXELS // 10**6} megapixels")
                image = ImageOps.exif_transpose(image)  # keep it upright once the orientation tag is gone
                pixels = _plain_mode(image, kind)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
        raise PhotoError(f"{name} cannot be read as a {kind} image ({err}); export it again as JPEG or PNG") from None
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())  # pixels only: no info, no metadata
    clean.thumbnail((LONGEST_SIDE_PX, LONGEST_SIDE_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=False, progressive=False, subsampling=2)
    else:
        clean.save(out, "PNG", compress_level=9)
    return out.getvalue()


def _plain_mode(image: Image.Image, kind: str) -> Image.Image:
    """8-bit grey or colour, with alpha only in a PNG that has it."""
    if kind == "JPEG":
        return image.convert("L" if image.mode in ("L", "1", "I;16") else "RGB")
    if image.mode in ("L", "RGB", "RGBA", "LA"):
        return image.copy()
    has_alpha = image.mode in ("PA", "La") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")
