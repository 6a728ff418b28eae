"""thankyou.preview() and `thankyou preview`: one HTML page to review a run, read in Chromium."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import thankyou
from thankyou.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = dt.date(2026, 11, 25)
#: Four hours after the panel interview (2026-11-24 14:00 -06:00): nothing is late yet.
NOW = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
HOSTILE = "<script>alert(1)</script>"


class _Dom(HTMLParser):
    """Elements (tag, attributes) and the text inside each <article class="letter">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.cards: list[str] = []
        self.text: list[str] = []
        self._depth = 0  # open elements inside the current card

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "article" and dict(attrs).get("class") == "letter":
            self.cards.append("")
            self._depth = 0
        if self.cards and tag not in ("br", "meta"):
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.cards and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cards and self._depth:
            self.cards[-1] += data

    def having(self, tag: str, cls: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag and cls in (a.get("class") or "").split()]


def dom(html: str) -> _Dom:
    parser = _Dom()
    parser.feed(html)
    return parser


def hostile_facts() -> dict[str, Any]:
    data = json.loads((EXAMPLES / "one-on-one.json").read_text(encoding="utf-8"))
    data["company"] = "Smith & <b>Sons</b>"
    data["panel"][0].update(name=HOSTILE, honorific=None, family_name=None)
    data["panel"][0]["personal"] = 'I liked "<img src=x onerror=alert(2)>" best.'
    data["panel"].append(dict(data["panel"][0], name="Ana Ruiz", email="ana.ruiz@x.example"))
    return data


def panel_page() -> str:
    return thankyou.preview(EXAMPLES / "panel-interview.toml", today=TODAY, now=NOW)


# -- the page as data ----------------------------------------------------------------------------


def test_one_card_per_letter_with_the_personal_paragraph_marked():
    """Every letter of the run is a card; its personal paragraph is the marked one."""
    interview = thankyou.load(EXAMPLES / "panel-interview.toml")
    letters = thankyou.compose(interview, today=TODAY)
    page = dom(panel_page())
    cards = page.having("article", "letter")
    assert [c["data-recipient"] for c in cards] == [m.name for m in interview.panel]
    assert len(page.having("p", "personal")) == len(letters)
    for letter, text in zip(letters, page.cards, strict=True):
        assert letter.salutation in text
        assert letter.personal is not None and " ".join(letter.personal.split()) in " ".join(
            text.split()
        )
        assert "Personal paragraph" in text


def test_paper_letters_show_their_address_blocks_and_emails_their_headers():
    """A posted letter carries sender, date and recipient blocks; an email From/To/Subject."""
    page = dom(panel_page())
    email_card, post_card = page.cards[0], page.cards[1]
    assert "From" in email_card and "Subject" in email_card
    assert "priya.raman@acme.example" in email_card
    assert "400 Industrial Way" in post_card and "November 25, 2026" in post_card


def test_essentials_are_listed_once_per_template():
    """Each template's shared paragraphs appear once; an email is not compared with a letter."""
    page = panel_page()
    boxes = page.split('class="box essentials"')[1:]
    formal_box = next(b.split("</div>", 1)[0] for b in boxes if "thank-you/formal" in b[:60])
    interview = thankyou.load(EXAMPLES / "panel-interview.toml")
    formal = thankyou.compose(interview, today=TODAY)[1]  # Tomás, by post
    assert formal.template == "thank-you/formal"
    for paragraph in formal.paragraphs:
        if paragraph != formal.personal:
            assert thankyou_escape(paragraph) in formal_box
    assert not any("thank-you/email" in b[:60] for b in boxes)  # one email: nothing shared
    email_card = page.split('<article class="letter"', 2)[1]
    assert "Leaves out" not in email_card  # the email is the only letter of its template


def test_a_letter_that_differs_from_its_template_siblings_says_so():
    """Three emails; a concern raised by two: the third says it leaves that paragraph out."""
    data = thankyou.facts.parse(EXAMPLES / "panel-interview.toml")
    for member in data["panel"]:
        member.update(delivery="email", email=member.get("email") or "mei.chen@acme.example")
        member.pop("address", None)
    data["concerns"] = [
        {
            "topic": "my Kubernetes experience",
            "raised_by": ["Priya Raman", "Tomás O'Neill"],
            "answer": "So far it has been in staging, so I have started a managed cluster.",
        }
    ]
    interview = thankyou.Interview.model_validate(data)
    page = thankyou.preview(interview, today=TODAY, now=NOW)
    cards = page.split('<article class="letter"')[1:]
    assert len(cards) == 3
    assert "Leaves out" not in cards[0] and "Leaves out" not in cards[1]
    assert "Leaves out 1 of the essentials" in cards[2]
    assert "You asked about my Kubernetes" in cards[2].split("Leaves out", 1)[1]


def thankyou_escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_each_finding_sits_beside_its_letter_and_the_rest_above():
    """A member's finding is in that member's card; an interview-wide one is not in any card."""
    data = json.loads(json.dumps(hostile_facts()))
    data["panel"][1]["email"] = "ana.ruis@x.example"  # name-spelling for panel[1] only
    interview = thankyou.Interview.model_validate(data)
    page = dom(thankyou.preview(interview, today=TODAY, now=interview.when + dt.timedelta(days=3)))
    assert "[name-spelling]" not in page.cards[0] and "name-spelling" not in page.cards[0]
    assert "name-spelling" in page.cards[1]
    assert "panel[1].name" in page.cards[1]
    general = "".join(page.text).split("About the interview as a whole", 1)[1]
    assert "late · date" in general.split("The plan", 1)[0]
    assert all("late · date" not in card for card in page.cards)


def test_the_plan_is_a_dated_list():
    """Each step of the plan is a list item with a machine-readable date."""
    interview = thankyou.load(EXAMPLES / "panel-interview.toml")
    steps = list(thankyou.plan(interview, NOW))
    times = [attrs for tag, attrs in dom(panel_page()).elements if tag == "time"]
    assert [t["datetime"] for t in times] == [s.due.isoformat() for s in steps]


def test_every_value_is_escaped():
    """Markup in the facts comes out as text: no element is made from a value."""
    page = thankyou.preview(
        thankyou.Interview.model_validate(hostile_facts()), today=TODAY, now=NOW
    )
    parsed = dom(page)
    assert [t for t, _ in parsed.elements if t in ("script", "img", "b")] == []
    text = "".join(parsed.text)
    assert HOSTILE in text and "Smith & <b>Sons</b>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_needs_no_network():
    """No external resource: no src/href to another site, no stylesheet link, no script."""
    parsed = dom(panel_page())
    for tag, attrs in parsed.elements:
        assert tag not in ("script", "link", "img", "iframe")
        for name in ("src", "href"):
            assert not (attrs.get(name) or "#").lstrip().startswith(("http", "//")), (tag, attrs)


def test_a_file_that_cannot_be_read_is_shown_and_the_rest_still_are(tmp_path):
    """A broken facts file gets an error box naming the problem; the good ones get cards."""
    bad = tmp_path / "bad.toml"
    bad.write_text('company = "Acme"\n', encoding="utf-8")
    page = thankyou.preview([bad, EXAMPLES / "panel-interview.toml"], today=TODAY, now=NOW)
    parsed = dom(page)
    alert = "".join(parsed.text).split("Could not be read:", 1)[1]
    assert "position" in alert.split("Senior Data Engineer", 1)[0]
    assert len(parsed.having("article", "letter")) == 3


# -- the command ---------------------------------------------------------------------------------


def test_cli_writes_preview_html_and_replaces_only_its_own(tmp_path):
    """`thankyou preview` writes DIR/preview.html; it replaces its own page, not another file."""
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["preview", str(EXAMPLES / "panel-interview.toml"), "-o", str(out), "--today",
            "2026-11-25", "--now", NOW.isoformat()]  # fmt: skip
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip() == str(out / "preview.html")
    assert len(dom((out / "preview.html").read_text("utf-8")).cards) == 3
    assert runner.invoke(cli, args).exit_code == 0  # its own page: replaced
    (out / "preview.html").write_text("my notes", encoding="utf-8")
    kept = runner.invoke(cli, args)
    assert kept.exit_code == 1
    assert "use --force" in kept.stderr
    assert (out / "preview.html").read_text("utf-8") == "my notes"
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0


def test_cli_exit_1_when_a_file_cannot_be_read_but_the_page_is_written(tmp_path):
    """One bad file among good ones: the page is written, the exit status says 1."""
    bad = tmp_path / "bad.toml"
    bad.write_text("company = \n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["preview", str(bad), str(EXAMPLES / "panel-interview.toml"), "-o", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "1 facts file could not be read" in result.stderr
    assert len(dom((tmp_path / "preview.html").read_text("utf-8")).cards) == 3


# -- in a real browser ---------------------------------------------------------------------------


def chromium() -> str:
    """The Chromium binary; skip outside CI when it is missing, fail in CI."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "Chromium is not installed; apt-get install chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must load the review page in a real browser: {reason}")
    pytest.skip(reason)


def _browser(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", *args],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip


def test_chromium_builds_one_card_per_letter_and_runs_nothing_from_the_facts(tmp_path):
    """The DOM Chromium builds has a card per letter, the findings, and the hostile name as text."""
    data = hostile_facts()
    data["panel"][1]["email"] = "ana.ruis@x.example"
    page = thankyou.preview(
        [thankyou.Interview.model_validate(data), EXAMPLES / "panel-interview.toml"],
        today=TODAY, now=NOW,
    )  # fmt: skip
    path = tmp_path / "preview.html"
    path.write_text(page, encoding="utf-8")
    built = dom(_browser("--dump-dom", path.as_uri()).stdout)
    assert len(built.having("article", "letter")) == 2 + 3
    assert [t for t, _ in built.elements if t in ("script", "img")] == []
    assert HOSTILE in built.cards[0]
    assert "name-spelling" in built.cards[1]
    assert len(built.having("p", "personal")) == 5


def test_chromium_screenshot_shows_the_page(tmp_path):
    """A screenshot of the page is a real picture: wide, tall and not blank."""
    from PIL import Image

    path = tmp_path / "preview.html"
    path.write_text(panel_page(), encoding="utf-8")
    shot = tmp_path / "preview.png"
    _browser(f"--screenshot={shot}", "--window-size=1200,1600", "--hide-scrollbars", path.as_uri())
    with Image.open(shot) as image:
        assert image.size == (1200, 1600)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # text, the marked paragraph, the cards


def test_steps_already_due_are_marked_overdue():
    """A page made two days on marks the thank-you steps overdue, not the follow-up."""
    later = NOW + dt.timedelta(days=1)
    page = thankyou.preview(EXAMPLES / "panel-interview.toml", today=TODAY, now=later)
    plan = page.split("<h3>The plan</h3>", 1)[1]
    items = plan.split("<li>")[1:]
    steps = list(thankyou.plan(thankyou.load(EXAMPLES / "panel-interview.toml"), later))
    assert len(items) == len(steps)
    for item, step in zip(items, steps, strict=True):
        assert ("(overdue)" in item) is (step.due < later), step.key
    assert any("(overdue)" in item for item in items)
    assert not all("(overdue)" in item for item in items)


def test_a_follow_up_run_shows_what_render_would_report_for_it():
    """-t follow-up/status: one card, and no `late` finding, which concerns thank-you letters."""
    later = NOW + dt.timedelta(days=3)
    page = thankyou.preview(
        EXAMPLES / "panel-interview.toml", template="follow-up/status", today=TODAY, now=later
    )
    parsed = dom(page)
    assert [c["data-recipient"] for c in parsed.having("article", "letter")] == ["Priya Raman"]
    assert "late · date" not in "".join(parsed.text)
    themselves = thankyou.preview(EXAMPLES / "panel-interview.toml", today=TODAY, now=later)
    assert "late · date" in "".join(dom(themselves).text)
