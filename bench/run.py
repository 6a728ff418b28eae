"""Benchmark thankyou against the plain libraries, pair by pair (docs/design/performance.md).

Usage:
    python bench/run.py            # full run; rewrites bench/RESULTS.md
    python bench/run.py --smoke    # a few letters, to show it still works (CI); prints only

Each comparison alternates the two sides (A B A B ...) so both see the same machine
state, and reports medians and ranges. Ratios are thankyou / baseline: below 1 is faster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import thankyou
from thankyou.letter import Letter

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "panel-interview.toml"
TODAY = dt.date(2026, 11, 25)
HEAVY = ("reportlab", "docx", "click", "icalendar", "yaml", "lxml")


@dataclass
class Row:
    """One comparison: thankyou's side, the baseline's side, and the target ratio."""

    name: str
    ours: list[float]
    theirs: list[float]
    unit: str
    target: str
    limit: float
    #: "<=" when ours/theirs must stay under the limit, ">=" when above.
    sense: str = "<="

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.theirs)

    @property
    def met(self) -> bool:
        return self.ratio <= self.limit if self.sense == "<=" else self.ratio >= self.limit


# --- the letters ------------------------------------------------------------------------------


def sample_letters() -> tuple[Letter, Letter]:
    """The example's posted letter (for PDF and DOCX) and its email letter."""
    letters = thankyou.compose(thankyou.load(EXAMPLE), today=TODAY)
    paper = next(x for x in letters if x.delivery is not thankyou.Delivery.email)
    mail = next(x for x in letters if x.delivery is thankyou.Delivery.email)
    return paper, mail


def paired(
    a: Callable[[], object], b: Callable[[], object], rounds: int, per_round: int
) -> tuple[list[float], list[float]]:
    """Time ``a`` and ``b`` alternately; return per-call seconds for each round."""
    a(), b()  # warm-up: fonts registered, templates compiled, caches filled
    times_a: list[float] = []
    times_b: list[float] = []
    for _ in range(rounds):
        for func, times in ((a, times_a), (b, times_b)):
            start = time.perf_counter()
            for _ in range(per_round):
                func()
            times.append((time.perf_counter() - start) / per_round)
    return times_a, times_b


# --- baselines: the same letter with the plain libraries ------------------------------------


def platypus_baseline(letter: Letter) -> Callable[[], bytes]:
    """A hand-written reportlab platypus letter with the same embedded TrueType font."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    fonts = ROOT / "thankyou" / "fonts"
    regular = next(fonts.rglob("LiberationSerif-Regular.ttf"))
    pdfmetrics.registerFont(TTFont("BenchSerif", str(regular)))
    body = ParagraphStyle("body", fontName="BenchSerif", fontSize=11, leading=14.5, spaceAfter=11)
    block = ParagraphStyle("block", parent=body, spaceAfter=0)

    def build() -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(
            out,
            pagesize=LETTER,
            leftMargin=inch,
            rightMargin=inch,
            topMargin=inch,
            bottomMargin=inch,
            title=letter.subject,
            author=letter.sender.name,
        )
        story = [Paragraph(escape(line), block) for line in letter.sender_block]
        story += [Spacer(1, 11), Paragraph(escape(letter.date_line), body)]
        story += [Paragraph(escape(line), block) for line in letter.recipient.block]
        story += [Spacer(1, 11), Paragraph(escape(letter.salutation), body)]
        story += [Paragraph(escape(p).replace("\n", "<br/>"), body) for p in letter.paragraphs]
        story += [Paragraph(escape(letter.closing), body), Spacer(1, 40)]
        story += [Paragraph(escape(letter.signature), body)]
        doc.build(story)
        return out.getvalue()

    return build


def docxtpl_baseline(letter: Letter, workdir: Path) -> Callable[[], bytes]:
    """docxtpl rendering the same letter from a .docx template, as its users do."""
    import docx
    from docxtpl import DocxTemplate

    template = workdir / "letter-template.docx"
    document = docx.Document()
    for placeholder in ("{{ sender }}", "{{ date }}", "{{ recipient }}", "{{ salutation }}"):
        document.add_paragraph(placeholder)
    for index in range(len(letter.paragraphs)):
        document.add_paragraph(f"{{{{ p{index} }}}}")
    document.add_paragraph("{{ closing }}")
    document.add_paragraph("{{ signature }}")
    document.save(template)
    context = {
        "sender": ", ".join(letter.sender_block), "date": letter.date_line,
        "recipient": ", ".join(letter.recipient.block), "salutation": letter.salutation,
        "closing": letter.closing, "signature": letter.signature,
    } | {f"p{i}": p for i, p in enumerate(letter.paragraphs)}  # fmt: skip

    def build() -> bytes:
        tpl = DocxTemplate(template)
        tpl.render(context)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    return build


def email_baseline(letter: Letter) -> Callable[[], bytes]:
    """The same message built directly with EmailMessage and email-validator."""
    from email import policy
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    from email_validator import validate_email

    def build() -> bytes:
        sender = validate_email(letter.sender.email, check_deliverability=False)
        recipient = validate_email(letter.recipient.email or "", check_deliverability=False)
        msg = EmailMessage()
        msg["From"] = Address(
            display_name=letter.sender.name, addr_spec=sender.ascii_email or sender.normalized
        )
        msg["To"] = Address(
            display_name=letter.recipient.name,
            addr_spec=recipient.ascii_email or recipient.normalized,
        )
        msg["Subject"] = letter.subject
        msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
        msg["Message-ID"] = make_msgid(domain=sender.ascii_domain)
        msg.set_content(letter.body)
        return msg.as_bytes(policy=policy.SMTP)

    return build


# --- whole-process measurements --------------------------------------------------------------


def run_seconds(args: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def import_rows(rounds: int) -> tuple[Row, list[str]]:
    ours = [sys.executable, "-c", "import thankyou"]
    theirs = [sys.executable, "-c", "import jinja2, pydantic, email_validator"]
    a, b = [], []
    for _ in range(rounds):
        a.append(run_seconds(ours))
        b.append(run_seconds(theirs))
    probe = "import sys, thankyou; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    heavy = [m for m in HEAVY if m in loaded.stdout.split()]
    row = Row(
        "import thankyou (whole process)",
        a,
        b,
        "ms",
        "<= 1.2x import jinja2, pydantic, email_validator",
        1.2,
    )
    return row, heavy


def make_batch(folder: Path, interviews: int) -> Path:
    """``interviews`` copies of the example panel, each a different company (3 letters each)."""
    source = EXAMPLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    for n in range(interviews):
        text = source.replace('company  = "Acme Robotics"', f'company  = "Acme Robotics {n:04d}"')
        (folder / f"interview-{n:04d}.toml").write_text(text, encoding="utf-8")
    return folder


def batch_row(facts: Path, workdir: Path, rounds: int) -> Row:
    interviews = len(list(facts.glob("*.toml")))
    cli = [
        sys.executable,
        "-m",
        "thankyou",
        "render",
        str(facts),
        "-f",
        "pdf",
        "--force",
        "--today",
        "2026-11-25",
    ]
    one, two = [], []
    for r in range(rounds):
        one.append(run_seconds([*cli, "-o", str(workdir / f"out1-{r}"), "-j", "1"]))
        two.append(run_seconds([*cli, "-o", str(workdir / f"out2-{r}"), "-j", "2"]))
    letters = interviews * 3
    # Speed-up is -j1 time over -j2 time: the Row ratio is ours/theirs, so put -j1 as "ours".
    return Row(
        f"batch of {letters} PDF letters, -j 1 vs -j 2",
        one,
        two,
        "s",
        ">= 1.7x speed-up with -j 2",
        1.7,
        ">=",
    )


# Peak RSS of the run itself. VmHWM belongs to this process's own memory map; ru_maxrss
# would not do, because Linux carries it over from the parent across fork and exec, so
# every probe would report the benchmark's own (larger) peak.
_RSS_PROBE = """
import re, resource, sys
from pathlib import Path
from thankyou.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="thankyou", standalone_mode=False)
finally:
    status = Path("/proc/self/status")
    found = re.search(r"VmHWM:\\s+(\\d+) kB", status.read_text()) if status.exists() else None
    peak = int(found.group(1)) if found else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(peak, file=sys.stderr)
"""


def rss_kib(facts: Path, out: Path) -> float:
    args = [sys.executable, "-c", _RSS_PROBE, "render", str(facts), "-f", "pdf", "-o", str(out),
            "--force", "--today", "2026-11-25"]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    return float(done.stderr.strip().splitlines()[-1])


def rss_row(large_facts: Path, workdir: Path, small: int) -> Row:
    small_facts = make_batch(workdir / "rss-small", small // 3)
    large = len(list(large_facts.glob("*.toml"))) * 3
    big = [rss_kib(large_facts, workdir / "rss-out-large")]
    little = [rss_kib(small_facts, workdir / "rss-out-small")]
    return Row(
        f"peak RSS, {large} vs {small // 3 * 3} PDF letters", big, little, "MiB", "<= 1.25x", 1.25
    )


def first_use_seconds(rounds: int) -> float:
    """What the lazy import defers: import, load and compose the example, as a whole process."""
    code = f"import thankyou; thankyou.compose(thankyou.load({str(EXAMPLE)!r}))"
    return statistics.median(run_seconds([sys.executable, "-c", code]) for _ in range(rounds))


# --- report -------------------------------------------------------------------------------------


def fmt(values: list[float], unit: str) -> str:
    scale = {"ms": 1e3, "s": 1.0, "MiB": 1 / 1024}[unit]
    med = statistics.median(values) * scale
    lo, hi = min(values) * scale, max(values) * scale
    return f"{med:.2f} {unit} ({lo:.2f}–{hi:.2f})" if len(values) > 1 else f"{med:.1f} {unit}"


def table(rows: list[Row], heavy: list[str]) -> str:
    lines = [
        "| comparison | thankyou | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {fmt(row.ours, row.unit)} | {fmt(row.theirs, row.unit)} | "
            f"{row.ratio:.2f}× | {row.target} | {'yes' if row.met else '**no**'} |"
        )
    lines.append("")
    lines.append(f"Heavy modules loaded by `import thankyou`: {', '.join(heavy) or 'none'} "
                 f"(checked: {', '.join(HEAVY)}).")  # fmt: skip
    return "\n".join(lines)


def machine() -> str:
    packages = [
        "thankyou",
        "reportlab",
        "python-docx",
        "docxtpl",
        "Jinja2",
        "pydantic",
        "email-validator",
    ]
    versions = ", ".join(f"{p} {version(p)}" for p in packages)
    cpu = platform.processor() or platform.machine()
    return (f"- Machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores\n"
            f"- Python {platform.python_version()}; {versions}\n"
            f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke", action="store_true", help="a few letters; print, don't write RESULTS.md"
    )
    options = parser.parse_args()
    smoke = options.smoke
    rounds, per_round = (2, 2) if smoke else (15, 10)
    paper, mail = sample_letters()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        pdf = paired(
            lambda: thankyou.render(paper, "pdf"), platypus_baseline(paper), rounds, per_round
        )
        rows.append(
            Row("PDF, one letter", *pdf, "ms", "<= 1.0x hand-written platypus, same TTF", 1.0)
        )
        docx = paired(
            lambda: thankyou.render(paper, "docx"),
            docxtpl_baseline(paper, workdir),
            rounds,
            per_round,
        )
        rows.append(Row("DOCX, one letter", *docx, "ms", "<= 0.5x docxtpl", 0.5))
        mail_rounds = (rounds, per_round * (1 if smoke else 20))
        eml = paired(lambda: thankyou.render(mail, "email"), email_baseline(mail), *mail_rounds)
        rows.append(
            Row(
                "email, one message (+ HTML part, re-parse check)",
                *eml,
                "ms",
                "<= 1.2x EmailMessage + email-validator",
                1.2,
            )
        )
        imports, heavy = import_rows(3 if smoke else 20)
        rows.append(imports)
        # 2,000 letters: throughput, not start-up, is what -j is for.
        batch = make_batch(workdir / "batch", 4 if smoke else 667)
        rows.append(batch_row(batch, workdir, 1 if smoke else 3))
        rows.append(rss_row(batch, workdir, 6 if smoke else 100))
        first_use = first_use_seconds(3 if smoke else 10)
        shutil.rmtree(workdir, ignore_errors=True)
    report = table(rows, heavy) + (
        f"\n\n`import thankyou` loads only the exceptions; the rest loads on first use. "
        f"For the full picture, a process that imports thankyou, loads the example facts and "
        f"composes its letters takes {first_use * 1e3:.0f} ms (median)."
    )
    print(report)
    if not smoke:
        text = (
            "# Benchmark results\n\nMade by `python bench/run.py` in one run; medians with "
            "(min–max) over alternating rounds. Ratio = thankyou / baseline, except the batch "
            f"row, where it is the speed-up of -j 2 over -j 1.\n\n{machine()}\n\n{report}\n"
        )
        (Path(__file__).parent / "RESULTS.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
