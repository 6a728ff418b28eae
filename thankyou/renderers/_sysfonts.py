"""Fonts installed on this computer, found by the characters they hold.

When neither the bundled fonts nor ``Style.extra_fonts`` draw a character (a
Chinese, Hindi or Tamil name), the renderers ask here for an installed font
that does. fontconfig answers the question directly (``fc-list
:charset=200b``, the tool every Linux desktop uses to pick fallback fonts);
where it is missing (macOS, Windows) the standard font folders are scanned
once and each font's ``cmap`` read with HarfBuzz (the ``shaping`` extra).

Only TrueType outlines (a ``glyf`` table) are returned: reportlab cannot embed
CFF-based fonts such as Noto CJK's ``.otf`` files. Answers are cached for the
process. Nothing here imports reportlab, so the DOCX renderer uses it too.

Set the environment variable ``THANKYOU_SYSTEM_FONTS=0`` to use only the
bundled and extra fonts (output then no longer depends on what is installed).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SystemFont", "enabled", "find"]


@dataclass(frozen=True)
class SystemFont:
    """One face of an installed font file."""

    path: Path
    #: The face's index in a collection (``.ttc``); 0 for a plain ``.ttf``.
    index: int
    #: The family name applications show (and DOCX names), e.g. "Noto Serif Devanagari".
    family: str
    style: str


def enabled() -> bool:
    """False when the user switched system fonts off (``THANKYOU_SYSTEM_FONTS=0``)."""
    return os.environ.get("THANKYOU_SYSTEM_FONTS", "1").strip().lower() not in ("0", "no", "off")


def find(char: str, serif: bool) -> SystemFont | None:
    """Return the best installed TrueType face that draws ``char``, or None.

    ``char`` may be several characters (a word): the face must draw them all.

    Regular faces come first, then the family that matches the letter (a serif
    face for a serif letter), then a stable order by name so that every run
    picks the same font.
    """
    if not enabled():
        return None
    return _find(char, serif)


@functools.lru_cache(maxsize=4096)
def _find(char: str, serif: bool) -> SystemFont | None:
    candidates = _fontconfig(char) if _fc_list() else _scanned(char)
    return min(candidates, key=lambda font: _rank(font, serif), default=None)


#: Words in a family name that mark a face unsuited to a letter's text.
_ODD = ("Mono", "UI", "Condensed", "Display", "Kufi", "Nastaliq", "Sharp", "Unjoined", "Looped",
        "Rashi", "Emoji", "Symbols", "Math", "Music")  # fmt: skip
_REGULAR = frozenset({"Regular", "Book", "Normal", "Roman", "Medium"})


def _rank(font: SystemFont, serif: bool) -> tuple[int, int, int, str, str, int]:
    styles = {s.strip() for s in font.style.split(",")}
    regular = 0 if styles & _REGULAR else 1
    odd = sum(word in font.family.split() for word in _ODD)
    is_serif = any(word in font.family for word in ("Serif", "Naskh", "Ming", "Song", "Mincho"))
    return (regular, odd, 0 if is_serif == serif else 1, font.family, str(font.path), font.index)


# --- fontconfig ------------------------------------------------------------------------------


@functools.cache
def _fc_list() -> str | None:
    return shutil.which("fc-list")


_FORMAT = "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\t%{fontformat}\n"


def _fontconfig(char: str) -> list[SystemFont]:
    """Faces fontconfig reports as holding every character of ``char`` (~5 ms, cached)."""
    charset = " ".join(f"{ord(c):x}" for c in sorted(set(char)))
    command = [_fc_list() or "fc-list", "--format", _FORMAT, f":charset={charset}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in done.stdout.splitlines():
        parts = line.split("\t")
        # "TrueType" is glyf outlines; CFF-flavoured OpenType says "CFF".
        if len(parts) == 5 and parts[4] == "TrueType" and parts[1].isdigit():
            fonts.append(SystemFont(Path(parts[0]), int(parts[1]), parts[2], parts[3]))
    return fonts


# --- without fontconfig: scan the standard folders once ----------------------------------------


def _folders() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
            home / ".local" / "share" / "fonts", home / ".fonts"]  # fmt: skip


_scan_lock = threading.Lock()


@functools.cache
def _index() -> tuple[tuple[SystemFont, frozenset[int]], ...]:
    """Every TrueType face in the standard folders with the code points its cmap maps."""
    try:
        import uharfbuzz as hb
    except ImportError:  # without the shaping extra: fontconfig or nothing
        return ()
    found: list[tuple[SystemFont, frozenset[int]]] = []
    with _scan_lock:
        for folder in _folders():
            files = sorted(folder.rglob("*")) if folder.is_dir() else []
            for path in files:
                if path.suffix.lower() in (".ttf", ".ttc"):
                    found.extend(_faces(hb, path))
    return tuple(found)


def _faces(hb: object, path: Path) -> list[tuple[SystemFont, frozenset[int]]]:
    try:
        blob = hb.Blob.from_file_path(str(path))  # type: ignore[attr-defined]
        count = hb.Face.count(blob) or 1  # type: ignore[attr-defined]
        faces = []
        for index in range(count):
            face = hb.Face(blob, index)  # type: ignore[attr-defined]
            if "glyf" not in face.table_tags:
                continue
            family = face.get_name(hb.OTNameIdPredefined.FONT_FAMILY) or path.stem  # type: ignore[attr-defined]
            style = face.get_name(hb.OTNameIdPredefined.FONT_SUBFAMILY) or "Regular"  # type: ignore[attr-defined]
            faces.append((SystemFont(path, index, family, style), frozenset(face.unicodes)))
        return faces
    except Exception:  # a broken font file is skipped, never fatal
        return []


def _scanned(chars: str) -> list[SystemFont]:
    wanted = {ord(c) for c in chars}
    return [font for font, codes in _index() if wanted <= codes]
