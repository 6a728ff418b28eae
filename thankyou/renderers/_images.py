"""The letterhead and signature images, checked once before a renderer touches them.

Both the PDF and the DOCX renderer embed the user's image files. A file that is
not an image, a truncated one, or a small file that decodes to gigabytes (a
13,000 x 13,000 PNG of one colour is 20 kB on disk and 500 MB in memory)
must fail with an error that names the field, before any decoding: the size
is read from the file's header, and only an image within :data:`MAX_PIXELS` is
decoded, once per file and process, to find truncation.
"""

from __future__ import annotations

import functools
import stat
import warnings
from pathlib import Path
from typing import Any

from thankyou.errors import RenderError

__all__ = ["MAX_PIXELS", "check"]

#: The largest image accepted, in pixels: a 40-megapixel photograph is far more
#: than a signature or a letterhead printed a few centimetres wide needs.
MAX_PIXELS = 40_000_000
#: What both renderers can embed (python-docx reads no other format).
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


def check(path: Path, where: str, *, format: str, recipient: str | None = None) -> tuple[int, int]:
    """Return the image's size in pixels, or refuse it.

    Args:
        path: The image file.
        where: The field it comes from, e.g. ``style.signature``.
        format: The format being rendered, for the error.
        recipient: The letter's recipient, for the error.

    Raises:
        RenderError: the path is a folder, not a readable image in one of
            :data:`FORMATS`, larger than :data:`MAX_PIXELS`, or damaged.
    """
    try:
        found = Path(path).stat()
    except OSError as err:
        raise RenderError(
            f"{where}: cannot read {path}: {err.strerror or err}",
            format=format,
            recipient=recipient,
        ) from None
    problem, size = _inspect(str(path), found.st_mtime_ns, found.st_size, found.st_mode)
    if problem:
        raise RenderError(f"{where}: {path} {problem}", format=format, recipient=recipient)
    return size


@functools.lru_cache(maxsize=64)
def _inspect(path: str, mtime: int, length: int, mode: int) -> tuple[str, tuple[int, int]]:
    """What is wrong with the image (or ""), and its size; cached per version of the file."""
    # Pillow comes with reportlab; imported here, when a letter has an image.
    from PIL import Image, UnidentifiedImageError

    if stat.S_ISDIR(mode):  # reading a folder as a file says something far less helpful
        return "is a folder, not an image", (0, 0)
    if not length:
        return "is empty, not an image", (0, 0)
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels and refuses from 179; the limit here is lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return _decoded(Image.open(path))  # Image.open reads the header only
    except UnidentifiedImageError:
        return f"is not an image in one of {', '.join(FORMATS)}", (0, 0)
    except Image.DecompressionBombError:
        return f"is larger than {MAX_PIXELS / 1e6:,.0f} megapixels: scale it down", (0, 0)
    except Exception as err:  # Pillow raises OSError, SyntaxError, ValueError... on bad files
        return f"is not a whole image ({_reason(err)}); save it again as PNG or JPEG", (0, 0)


def _decoded(image: Any) -> tuple[str, tuple[int, int]]:
    """Check the header's format and size, then decode (an open PIL image, closed here)."""
    with image:
        kind, (width, height) = image.format, image.size
        if kind not in FORMATS:
            return f"is a {kind} image; use one of {', '.join(FORMATS)}", (0, 0)
        if width * height > MAX_PIXELS:
            return (
                f"is {width:,} x {height:,} pixels ({width * height / 1e6:,.0f} megapixels); "
                f"the limit is {MAX_PIXELS / 1e6:,.0f} megapixels: scale it down",
                (0, 0),
            )
        image.load()  # finds a truncated or damaged file now, not halfway through a page
    return "", (width, height)


def _reason(err: Exception) -> str:
    text = str(err).split(" <", 1)[0]  # "cannot identify image file <_io.BytesIO ...>"
    return text or type(err).__name__
