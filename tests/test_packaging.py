"""The wheel carries everything the package needs at run time (STYLE §5, pelican-style)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel built from this checkout, offline."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "wheel", "--no-deps",
         "--no-build-isolation", "--no-index", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (built,) = out.glob("thankyou-*.whl")
    return zipfile.ZipFile(built)


@pytest.mark.slow
def test_wheel_holds_every_template_font_and_licence(wheel: zipfile.ZipFile) -> None:
    """Every file of templates/ and thankyou/fonts/ is in the wheel, under thankyou/."""
    names = set(wheel.namelist())
    templates = [p for p in (ROOT / "templates").rglob("*") if p.is_file()]
    fonts = [p for p in (ROOT / "thankyou" / "fonts").rglob("*") if p.is_file()]
    assert any(p.suffix == ".ttf" for p in fonts) and any(p.suffix == ".j2" for p in templates)
    expected = {
        f"thankyou/templates/{p.relative_to(ROOT / 'templates').as_posix()}" for p in templates
    }
    expected |= {p.relative_to(ROOT).as_posix() for p in fonts}
    assert expected - names == set()


@pytest.mark.slow
def test_wheel_is_typed_and_ships_no_tests_or_benchmarks(wheel: zipfile.ZipFile) -> None:
    """py.typed marks the package as typed; tests, bench and examples stay out of the wheel."""
    names = wheel.namelist()
    assert "thankyou/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "examples/"))]
    assert not [n for n in names if "__pycache__" in n]


def test_wheel_ships_the_review_page_template(wheel: zipfile.ZipFile) -> None:
    """`thankyou preview` from an installed wheel finds its page template."""
    assert "thankyou/review.html.j2" in wheel.namelist()


@pytest.mark.slow
def test_sdist_holds_what_its_tests_read(tmp_path: Path) -> None:
    """What the tests read from the checkout (bench/, docs/, tests/node/) is in the sdist."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    import tarfile

    (built,) = tmp_path.glob("thankyou-*.tar.gz")
    with tarfile.open(built) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    needed = [
        "bench/run.py", "docs/preview.png", "tests/node/package-lock.json", "tests/node/parse.mjs",
        "examples/panel-interview.toml", "templates/thank-you/formal.j2",
    ]  # fmt: skip
    assert [n for n in needed if n not in names] == []
    assert not any(name.startswith("tests/node/node_modules") for name in names)
