"""Regenerate README's sample letter and the pictures under docs/ from the current templates.

    python scripts/regen_docs.py          # rewrite README's sample, docs/*.png and the manifest
    python scripts/regen_docs.py --check  # exit 1 when any of them is stale

The sample is the example panel's thank-you email to Dr. Raman; the pictures are
the posted letter to Tomás O'Neill as PDF (poppler's pdftoppm at 60 dpi) and as
DOCX printed by LibreOffice. docs/pictures.json records the SHA-256 of the
letter text each picture was made from and of the picture itself, so that
tests/test_docs.py can tell a stale picture without comparing pixels.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import thankyou  # noqa: E402  (after the path, so the checkout's package is used)

EXAMPLE = ROOT / "examples" / "panel-interview.toml"
TODAY = dt.date(2026, 11, 25)
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MANIFEST = DOCS / "pictures.json"
START, END = "<!-- sample-letter:start -->", "<!-- sample-letter:end -->"


def letters() -> tuple[thankyou.Letter, thankyou.Letter]:
    """The emailed letter to the primary contact and the posted letter, as the README shows them."""
    composed = thankyou.compose(thankyou.load(EXAMPLE), today=TODAY)
    email = next(lt for lt in composed if lt.delivery is thankyou.Delivery.email)
    posted = next(lt for lt in composed if lt.delivery is thankyou.Delivery.post)
    return email, posted


def sample_block(letter: thankyou.Letter) -> str:
    """README's sample: a sentence with the word count, then subject and text."""
    words = len(letter.body.split())
    place = ("first", "second", "third", "fourth", "fifth")[
        letter.paragraphs.index(letter.personal)
    ]
    return (
        f"{START}\nThe thank-you email to the primary contact of the example panel: its subject, "
        "then the text\nthat `thankyou render examples/panel-interview.toml -f text --today "
        f"2026-11-25` writes. It is\n{words} words long, and the only paragraph written for "
        f"{letter.recipient.name} alone is the {place} (lines wrapped here for reading):\n\n"
        f"```text\nSubject: {letter.subject}\n\n{_wrapped(letter.text)}```\n{END}"
    )


def _wrapped(text: str) -> str:
    return "\n\n".join(textwrap.fill(p, 95) for p in text.split("\n\n")) + "\n"


def readme_text(letter: thankyou.Letter) -> str:
    """README.md with its sample block replaced by the current one."""
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + sample_block(letter) + tail


def digest(data: bytes | str) -> str:
    """SHA-256 of bytes or UTF-8 text."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _png(pdf: bytes, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "letter.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(source), str(Path(tmp) / "page")],
            check=True,
        )
        shutil.copyfile(Path(tmp) / "page.png", target)


def _docx_pdf(docx: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "letter.docx"
        source.write_bytes(docx)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        return (Path(tmp) / "letter.pdf").read_bytes()


def regenerate() -> None:
    """Rewrite README's sample, both pictures and the manifest."""
    email, posted = letters()
    README.write_text(readme_text(email), encoding="utf-8", newline="\n")
    _png(thankyou.render(posted, "pdf", invariant=True), DOCS / "letter-pdf.png")
    _png(_docx_pdf(thankyou.render(posted, "docx", invariant=True)), DOCS / "letter-docx.png")
    manifest = {
        name: {
            "letter_sha256": digest(posted.text),
            "png_sha256": digest((DOCS / name).read_bytes()),
        }
        for name in ("letter-pdf.png", "letter-docx.png")
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def stale() -> list[str]:
    """What is out of date: README's sample, or a picture made from another letter text."""
    email, posted = letters()
    found = []
    if README.read_text(encoding="utf-8") != readme_text(email):
        found.append("README.md sample letter")
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}
    for name in ("letter-pdf.png", "letter-docx.png"):
        entry = manifest.get(name, {})
        png = DOCS / name
        if entry.get("letter_sha256") != digest(posted.text):
            found.append(f"docs/{name} (made from another letter text)")
        elif not png.exists() or entry.get("png_sha256") != digest(png.read_bytes()):
            found.append(f"docs/{name} (changed by hand)")
    return found


def main() -> int:
    """Regenerate, or with ``--check`` report what is stale (exit status 1)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is stale")
    if parser.parse_args().check:
        found = stale()
        for item in found:
            print(f"stale: {item}", file=sys.stderr)
        return 1 if found else 0
    regenerate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
