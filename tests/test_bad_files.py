"""Damaged images and fonts, slow servers: a clear error naming the field, never a traceback."""

from __future__ import annotations

import contextlib
import csv
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

import thankyou
from thankyou import _smtp
from thankyou.cli import cli
from thankyou.letter import Letter
from thankyou.models import Style
from thankyou.renderers import render

ROOT = Path(__file__).resolve().parent.parent


def _png(path: Path, size: tuple[int, int] = (300, 100), mode: str = "RGB") -> Path:
    Image.new(mode, size, "white" if mode == "RGB" else 0).save(path)
    return path


def _truncated(path: Path, fmt: str) -> Path:
    whole = path.with_name("whole." + fmt.lower())
    Image.new("RGB", (300, 100), "white").save(whole, fmt)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


BAD_IMAGES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated-png": (lambda d: _truncated(d / "a.png", "PNG"), "is not a whole image"),
    "truncated-jpeg": (lambda d: _truncated(d / "a.jpg", "JPEG"), "is not a whole image"),
    # 13,000 x 13,000 one-bit pixels: 20 kB on disk, 500 MB to 2.5 GB once decoded.
    "bomb": (
        lambda d: _png(d / "a.png", (13_000, 13_000), "1"),
        "13,000 x 13,000 pixels (169 megapixels); the limit is 40 megapixels",
    ),
    "text": (lambda d: _write(d / "a.png", b"hello, I am text"), "is not an image in one of PNG"),
    "empty": (lambda d: _write(d / "a.png", b""), "is empty, not an image"),
    "webp": (lambda d: _webp(d / "a.webp"), "is a WEBP image; use one of PNG, JPEG"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _webp(path: Path) -> Path:
    Image.new("RGB", (30, 10), "white").save(path, "WEBP")
    return path


@pytest.mark.parametrize("case", sorted(BAD_IMAGES))
@pytest.mark.parametrize("field", ["signature", "letterhead"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_bad_image_is_a_render_error_naming_the_field(
    case: str, field: str, fmt: str, make_letter: Callable[..., Letter], tmp_path: Path
) -> None:
    """Truncated, oversized, non-image and unsupported files: refused fast, field and file named."""
    make, expected = BAD_IMAGES[case]
    path = make(tmp_path)
    style = Style.model_validate({field: str(path)})
    started = time.perf_counter()
    with pytest.raises(thankyou.RenderError) as caught:
        render(make_letter(style=style), fmt, style=style)
    assert time.perf_counter() - started < 2
    assert f"style.{field}: {path} " in str(caught.value)
    assert expected in str(caught.value)


def test_a_good_image_still_renders(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    """The checks let an ordinary signature through, in both formats."""
    style = Style.model_validate({"signature": str(_png(tmp_path / "s.png"))})
    for fmt in ("pdf", "docx"):
        assert render(make_letter(style=style), fmt, style=style)


@pytest.mark.parametrize("field", ["signature", "letterhead", "extra_fonts"])
def test_a_folder_given_as_a_file_says_so(field: str, examples_dir: Path) -> None:
    """A folder where an image or font belongs is a FactsError saying it is a folder."""
    facts = examples_dir / "panel-interview.toml"
    text = facts.read_text(encoding="utf-8").replace("letterhead = true\n", "")
    value = f'["{examples_dir}"]' if field == "extra_fonts" else f'"{examples_dir}"'
    facts.write_text(text + f"{field} = {value}\n", encoding="utf-8")
    with pytest.raises(thankyou.FactsError, match="is a folder, not a file") as caught:
        thankyou.load(facts)
    assert caught.value.field.startswith(f"style.{field}")


@pytest.mark.parametrize(
    "content",
    [
        lambda: b"\x00\x01\x00\x00" + bytes(range(256)) * 2,
        lambda: (ROOT / "thankyou" / "fonts" / "LiberationSerif-Regular.ttf").read_bytes()[:2000],
    ],
    ids=["garbage", "truncated"],
)
def test_a_damaged_extra_font_is_a_render_error(
    content: Callable[[], bytes], make_letter: Callable[..., Letter], tmp_path: Path
) -> None:
    """A font reportlab cannot parse is a RenderError naming style.extra_fonts[0]."""
    font = tmp_path / "bad.ttf"
    font.write_bytes(content())
    style = Style.model_validate({"extra_fonts": [str(font)]})
    with pytest.raises(thankyou.RenderError, match=r"style\.extra_fonts\[0\]: cannot use bad\.ttf"):
        render(make_letter(style=style), "pdf", style=style)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_bad_interview_in_a_spreadsheet_fails_alone(
    jobs: str, examples_dir: Path, tmp_path: Path
) -> None:
    """A damaged signature in one CSV interview fails its letters; the others are written."""
    with (examples_dir / "panel.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    bad = _truncated(tmp_path / "sig.jpg", "JPEG")
    sheet = tmp_path / "batch.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*rows[0], "style_signature"])
        for row in rows[1:]:
            writer.writerow([*row, str(bad) if row[0] == "Brightwater Health" else ""])
    target = tmp_path / "out"
    args = ["render", str(sheet), "-f", "docx,pdf", "-o", str(target), "-j", jobs]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (target / "kestrel-finch").iterdir()) == [
        "sunita-rao.docx",
        "sunita-rao.pdf",
    ]
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 4
    assert all("style.signature: " in line and "is not a whole image" in line for line in failures)
    assert "2 written, 0 skipped, 4 failed" in result.stderr


@contextlib.contextmanager
def _trickling_server() -> Iterator[int]:
    """An SMTP server that sends its greeting one byte every 0.1 s, for 6 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, contextlib.suppress(OSError):
            for _ in range(60):
                if stop.is_set():
                    break
                connection.send(b"2")
                time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=5)


def test_a_trickling_server_cannot_hold_the_client_past_its_timeout() -> None:
    """Each byte comes within the socket timeout, but the greeting must be whole within it."""
    with _trickling_server() as port:
        settings = _smtp.SmtpSettings("127.0.0.1", port, timeout=1.0)
        started = time.monotonic()
        refused = pytest.raises(thankyou.SendError, match="no complete reply within 1 s")
        with refused, _smtp.session(settings):
            pass
        assert time.monotonic() - started < 3
