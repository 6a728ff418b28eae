"""Whatever goes in, only ThankYouError (or letters) comes out.

Random bytes, random text and random facts-shaped structures, written as TOML,
JSON, YAML and CSV, go through load -> check -> compose -> every renderer.
Any other exception (a traceback for the user) fails the test. Examples are
bounded so the module stays well under 20 seconds.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import thankyou
from thankyou.checks import check
from thankyou.errors import RenderWarning, ThankYouError
from thankyou.facts import load_many

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
SUFFIXES = [".toml", ".json", ".yaml", ".csv"]
FORMATS = ["text", "email", "pdf", "docx"]

BASE: dict[str, Any] = {
    "company": "Acme Robotics",
    "position": "Data Engineer",
    "date": "2026-11-24T14:00:00-06:00",
    "highlights": ["the streaming pipeline"],
    "candidate": {"name": "Alex Morgan", "email": "alex.morgan@example.com"},
    "panel": [
        {"name": "Priya Raman", "email": "priya@acme.example", "personal": "Thank you."},
        {"name": "John Smith", "delivery": "post", "address": ["1 Main St", "Springfield"]},
    ],
}

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


REACHED: list[str] = []


def _through_everything(path: Path) -> None:
    """Load, check, compose and render; only ThankYouError may escape any step."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenderWarning)
        try:
            loaded = load_many(path)
        except ThankYouError:
            return
        for one in loaded:
            assert (one.interview is None) != (one.error is None)
            if one.interview is None:
                continue
            check(one.interview, now=NOW)
            assert thankyou.plan(one.interview, NOW).to_ics()
            try:
                letters = thankyou.compose(one.interview, today=TODAY)
            except ThankYouError:
                continue
            for letter in letters[:2]:
                REACHED.append(path.suffix)
                for fmt in FORMATS:
                    with contextlib.suppress(ThankYouError):
                        assert thankyou.render(letter, fmt)


# --- random bytes and text ------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
# Inputs that once ended in a traceback, tried on every run besides the random ones.
@example(data=b"date: 2026-02-30\n", suffix=".yaml")
@example(data=b"date: !!timestamp x\n", suffix=".yaml")
@example(data=b'{"a": ' + b"9" * 5001 + b"}", suffix=".json")
@example(data=b"a: " + b"9" * 5001, suffix=".yaml")
@example(data=b"a = " + b"9" * 5001, suffix=".toml")
@example(data=b"company\n" + b"x" * 140_000 + b"\n", suffix=".csv")
@example(data="company: Acme".encode("utf-16"), suffix=".yaml")
def test_random_bytes(folder, data, suffix):
    path = folder / f"bytes{suffix}"
    path.write_bytes(data)
    _through_everything(path)


@FUZZ
@given(text=st.text(max_size=300), suffix=st.sampled_from(SUFFIXES))
@example(text='"', suffix=".csv")
def test_random_text(folder, text, suffix):
    path = folder / f"text{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _through_everything(path)


# --- random structures shaped like facts ----------------------------------------------------

#: Values that broke something once: dates off the calendar, YAML 1.1 look-alikes,
#: lone surrogates, a 5,001-digit number, invisible characters, long text.
NASTY = [
    "", "2026-02-30", "9999-12-31", "0001-01-01T00:30:00", "2026-11-24T10:00:00+99:00",
    "1:30", "yes", "post", "hand", "email", "a" * 70 + "@x.example", "x@\u0430cme.example",
    "Pri\u200bya", "a\ud800@example.com", "2026-11-24\udfff", "thank-you/warm",
    "nope/none", "1" * 5001, "../../etc/hostname", "x" * 25000, "Dr.", "A4", "letter",
]  # fmt: skip
#: Text a person might type: letters, digits, spaces and punctuation.
plausible = st.text(st.characters(categories=["L", "N", "Zs", "P", "Mn"]), min_size=1, max_size=30)
scalars = st.one_of(
    plausible,
    st.sampled_from(NASTY),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(NASTY),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "company", "position", "date", "location", "decision_within_days", "highlights",
    "concerns", "next_steps", "template", "candidate", "panel", "recruiter", "references",
    "style", "candidate.name", "candidate.email", "candidate.address", "panel.name",
    "panel.email", "panel.delivery", "panel.address", "panel.personal", "panel.primary",
    "panel.honorific", "panel.family_name", "style.paper", "style.letterhead",
    "style.signature", "style.font", "style.date_format", "unknown",
]  # fmt: skip


@st.composite
def facts_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """The base facts with a few fields replaced by random values (or removed)."""
    data = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(0, 3))):
        field = draw(st.sampled_from(FIELDS))
        value = draw(st.one_of(plausible, values))
        head, _, tail = field.partition(".")
        if not tail:
            data[head] = value
            continue
        table = data.get(head)
        if head == "panel" and isinstance(table, list) and table:
            table = table[draw(st.integers(0, len(table) - 1))]
        if not isinstance(table, dict):
            table = data[head] = {}
        table[tail] = value
    return data


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value).replace("inf", "inf").replace("nan", "nan")
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None)
        return "{" + ", ".join(items) + "}"
    return '""'


def to_toml(data: dict[str, Any]) -> str:
    return "\n".join(
        f"{json.dumps(key)} = {_toml_value(value)}"
        for key, value in data.items()
        if value is not None
    )


def to_csv(data: dict[str, Any]) -> str:
    """One row per panel member, interview and candidate columns repeated (SPEC §3)."""
    panel = data.get("panel") if isinstance(data.get("panel"), list) else [{}]
    rows = []
    for member in panel or [{}]:
        row = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
        if isinstance(data.get("candidate"), dict):
            row |= {f"candidate_{k}": v for k, v in data["candidate"].items()}
        if isinstance(member, dict):
            row |= member
        rows.append(
            {str(k): "|".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
        )
    columns = list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


WRITERS = {
    ".toml": to_toml,
    ".json": lambda data: json.dumps(data, ensure_ascii=False),
    ".yaml": lambda data: yaml.safe_dump(data, allow_unicode=True),
    ".csv": to_csv,
}


def _with(path: str, value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(BASE))
    head, _, tail = path.partition(".")
    (data[head][0] if head == "panel" else data[head] if tail else data)[tail or head] = value
    return data


@FUZZ
@given(data=facts_dicts(), suffix=st.sampled_from(SUFFIXES))
@example(data=_with("candidate.email", "a\ud800@example.com"), suffix=".json")
@example(data=_with("date", "2026-11-24\udfff"), suffix=".json")
@example(data=_with("date", "9999-12-31"), suffix=".yaml")
@example(data=_with("date", "0001-01-01T00:30:00"), suffix=".toml")
def test_random_facts_in_every_format(folder, data, suffix):
    path = folder / f"facts{suffix}"
    path.write_text(WRITERS[suffix](data), encoding="utf-8", errors="surrogatepass")
    _through_everything(path)


def test_the_random_facts_reached_the_renderers():
    """Enough of the mutated facts were valid to exercise every renderer (runs after them)."""
    assert len(REACHED) >= 10, REACHED


@FUZZ
@given(data=facts_dicts())
@example(data=_with("panel.email", "a\ud800@example.com"))
@example(data=_with("date", "0001-01-01T00:30:00"))
@example(data=_with("decision_within_days", 10**5000))
def test_random_facts_through_the_api(data):
    """validate() and check() on the mapping itself: the API has no file in between."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenderWarning)
        check(data, now=NOW)
        try:
            interview = thankyou.facts.validate(data)
        except ThankYouError:
            return
        try:
            letters = thankyou.compose(interview, today=TODAY)
        except ThankYouError:
            return
        for letter in letters[:1]:
            for fmt in FORMATS:
                with contextlib.suppress(ThankYouError):
                    thankyou.render(letter, fmt)


def test_the_base_facts_render_in_every_format(folder):
    """The unmutated base really reaches the renderers, so the properties test something."""
    path = folder / "base.json"
    path.write_text(json.dumps(BASE), encoding="utf-8")
    letters = thankyou.compose(thankyou.load(path), today=TODAY)
    assert len(letters) == 2
    assert thankyou.render(letters[1], "pdf").startswith(b"%PDF")
    assert b"Priya Raman" in thankyou.render(letters[0], "email")
