"""Letters in German, French and Spanish: the conventions one by one, goldens, every format.

The example panel in each language lives in docs/examples/panel-interview.{de,fr,es}.toml.
Golden letters are in tests/golden-languages/; set THANKYOU_REGEN_GOLDEN=1 to rewrite
them after a deliberate change, then read the diff (every letter, aloud) before committing.
"""

from __future__ import annotations

import copy
import datetime as dt
import email
import email.policy
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from slugify import slugify

import thankyou
from thankyou import _lang, facts, templating
from thankyou.checks import check
from thankyou.errors import FactsError
from thankyou.models import Interview
from thankyou.planner import plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden-languages"
REGENERATE = os.environ.get("THANKYOU_REGEN_GOLDEN") == "1"
LANGUAGES = ("de", "fr", "es")
#: The interview is on Tuesday 24 November 2026 at 14:00; the letters go out the next day.
TODAY = dt.date(2026, 11, 25)
NNBSP = "\u202f"


def example(language: str) -> Interview:
    return thankyou.load(EXAMPLES / f"panel-interview.{language}.toml")


def raw(language: str) -> dict[str, Any]:
    """The example's facts as a mapping, to vary one field at a time."""
    return facts.parse(EXAMPLES / f"panel-interview.{language}.toml")


def varied(of: str, **changes: Any) -> Interview:
    """The example in language ``of``; ``panel_0={...}`` merges into panel[0], others replace."""
    data = copy.deepcopy(raw(of))
    for key, value in changes.items():
        if key.startswith("panel_"):
            member = data["panel"][int(key.removeprefix("panel_"))]
            member.update(value)
            for field in [k for k, v in member.items() if v is None]:
                del member[field]
        else:
            data[key] = value
    return Interview.model_validate(data)


def letters(interview: Interview, template: str | None = None, today: dt.date = TODAY) -> list:
    return thankyou.compose(interview, template, today=today)


def first(interview: Interview, template: str | None = None, **kw: Any) -> thankyou.Letter:
    return letters(interview, template, **kw)[0]


# --- every template exists in every language -----------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_built_in_template_exists_in_each_language(language):
    """Each template of the catalogue has a version in the language's folder."""
    names = [info.name for info in templating.catalogue()]
    assert len(names) == 6
    for name in names:
        assert (templating.builtin_root() / language / f"{name}.j2").is_file(), name


def test_language_folders_are_not_templates_of_their_own():
    """The catalogue lists thank-you/formal once, not de/thank-you/formal as well."""
    names = [info.name for info in templating.catalogue()]
    assert not [n for n in names if n.split("/")[0] in LANGUAGES]


# --- the facts -----------------------------------------------------------------------------------


def test_language_defaults_to_english_and_accepts_what_people_type():
    assert varied("de", language="DE ").language == "de"
    data = copy.deepcopy(raw("de"))
    del data["language"]
    assert Interview.model_validate(data).language == "en"


def test_unknown_language_is_an_error_naming_the_field(tmp_path):
    facts = tmp_path / "it.toml"
    text = (EXAMPLES / "panel-interview.de.toml").read_text(encoding="utf-8")
    facts.write_text(text.replace('language = "de"', 'language = "it"'), encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        thankyou.load(facts)
    assert "language" in str(caught.value)
    assert "'de'" in str(caught.value)


def test_a_panel_may_mix_languages():
    """One member's own language wins over the interview's; the others stay as they are."""
    interview = varied("de", panel_1={"language": "fr", "honorific": "Monsieur"})
    by_name = {letter.recipient.name: letter for letter in letters(interview)}
    assert by_name["Tomás O'Neill"].salutation == "Monsieur,"
    assert by_name["Tomás O'Neill"].language == "fr"
    assert by_name["Priya Raman"].salutation == "Sehr geehrte Frau Dr. Raman,"


# --- German: DIN 5008 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("honorific", "family", "expected"),
    [
        ("Frau Dr.", "Raman", "Sehr geehrte Frau Dr. Raman,"),
        ("Herr", "O'Neill", "Sehr geehrter Herr O'Neill,"),
        ("Frau Prof. Dr.", "Raman", "Sehr geehrte Frau Prof. Dr. Raman,"),
        ("Ms.", "Raman", "Sehr geehrte Frau Raman,"),  # the user said it; nothing guessed
        ("Dr.", "Raman", "Guten Tag Dr. Priya Raman,"),  # "Dr." says no gender
        (None, None, "Guten Tag Priya Raman,"),
        ("Frau", None, "Guten Tag Priya Raman,"),  # the formal greeting needs the family name
    ],
)
def test_german_salutation_comes_from_the_honorific(honorific, family, expected):
    letter = first(varied("de", panel_0={"honorific": honorific, "family_name": family}))
    assert letter.salutation == expected


def test_german_body_starts_lower_case_after_the_comma_and_closes_without_one():
    for template in ("thank-you/email", "thank-you/formal", "thank-you/warm", "follow-up/status"):
        letter = first(example("de"), template)
        assert letter.salutation.endswith(",")
        assert letter.paragraphs[0][0].islower(), (template, letter.paragraphs[0])
        assert not letter.closing.endswith(",")
    assert first(example("de")).closing == "Mit freundlichen Grüßen"


def test_german_date_and_subject_line():
    letter = letters(example("de"))[1]  # Tomás O'Neill, by post
    assert letter.date_line == "25. November 2026"
    assert letter.heading == letter.subject  # no "Betreff:" before it
    assert "Betreff" not in letter.text


def test_german_letters_default_to_a4_window_but_keep_a_chosen_style():
    letter = first(example("de"))
    assert (letter.style.paper, letter.style.layout) == ("a4", "window")
    chosen = varied("de", style={"paper": "letter", "layout": "block"})
    assert (first(chosen).style.paper, first(chosen).style.layout) == ("letter", "block")


# --- French --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("honorific", "salutation", "vocative"),
    [
        ("Madame", "Madame,", "Madame"),
        ("Monsieur", "Monsieur,", "Monsieur"),
        ("Mme", "Madame,", "Madame"),
        ("Madame la Directrice", "Madame la Directrice,", "Madame la Directrice"),
        ("Dr.", "Bonjour Priya Raman,", None),
        (None, "Bonjour Priya Raman,", None),
    ],
)
def test_french_salutation_and_the_closing_formula_that_repeats_it(honorific, salutation, vocative):
    letter = first(varied("fr", panel_0={"honorific": honorific}), "thank-you/formal")
    assert letter.salutation == salutation
    if vocative:
        assert letter.closing == (
            f"Je vous prie d’agréer, {vocative}, l’expression de mes salutations distinguées."
        )
    else:
        assert (
            letter.closing == "Je vous prie d’agréer l’expression de mes salutations distinguées."
        )


def test_french_spacing_before_double_punctuation_and_inside_guillemets():
    assert _lang.typeset("fr", "Objet: le poste; vraiment? oui!") == (
        f"Objet{NNBSP}: le poste{NNBSP}; vraiment{NNBSP}? oui{NNBSP}!"
    )
    assert (
        _lang.typeset("fr", 'le projet "Atlas" avance') == f"le projet «{NNBSP}Atlas{NNBSP}» avance"
    )
    # A time, a URL and an address are not punctuation.
    untouched = "à 14:00 sur https://acme.example/postes ou alex@example.com"
    assert _lang.typeset("fr", untouched) == untouched


def test_french_letters_are_typeset_but_the_personal_paragraph_is_left_alone():
    letter = first(example("fr"))
    assert f"toute mon attention{NNBSP}: le passage" in letter.paragraphs[0]
    assert letter.personal in letter.paragraphs
    assert NNBSP not in letter.personal


def test_french_date_line_puts_the_city_first():
    letter = letters(example("fr"))[1]
    assert letter.date_line == "Lyon, le 25 novembre 2026"
    data = copy.deepcopy(raw("fr"))
    del data["candidate"]["city"]
    assert letters(Interview.model_validate(data))[1].date_line == "Le 25 novembre 2026"


def test_french_objet_and_elision():
    letter = letters(example("fr"))[1]
    assert (
        letter.heading
        == f"Objet{NNBSP}: Remerciements pour notre entretien – poste d’ingénieur data senior"
    )
    english_title = first(varied("fr", position="Senior Data Engineer"))
    assert "poste de Senior Data Engineer" in english_title.subject


# --- Spanish -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("honorific", "expected"),
    [
        ("Dra.", "Estimada Dra. Raman:"),
        ("Sra.", "Estimada Sra. Raman:"),
        ("Sr.", "Estimado Sr. Raman:"),
        ("Sr. Dr.", "Estimado Dr. Raman:"),
        ("Ms.", "Estimada Sra. Raman:"),
        ("Dr.", "Buenos días, Priya Raman:"),  # written alike in English: no gender
        (None, "Buenos días, Priya Raman:"),
    ],
)
def test_spanish_salutation_ends_with_a_colon(honorific, expected):
    assert first(varied("es", panel_0={"honorific": honorific})).salutation == expected


def test_spanish_closings_and_date():
    interview = example("es")
    assert first(interview, "thank-you/email").closing == "Un cordial saludo,"
    formal = letters(interview)[1]
    assert formal.closing == "Atentamente,"
    assert formal.date_line == "Madrid, 25 de noviembre de 2026"
    assert formal.heading is None


@pytest.mark.parametrize(
    ("items", "joined"),
    [
        (["Pedro", "Isabel"], "Pedro e Isabel"),
        (["agujas", "hilos"], "agujas e hilos"),
        (["Python", "Ítaca"], "Python e Ítaca"),
        (["agua", "hielo"], "agua y hielo"),  # /j/, not /i/
        (["datos", "streaming", "calidad"], "datos, streaming y calidad"),
    ],
)
def test_spanish_y_becomes_e_before_an_i_sound(items, joined):
    assert _lang.join("es", items) == joined


def test_lists_in_german_and_french_have_no_serial_comma():
    assert _lang.join("de", ["a", "b", "c"]) == "a, b und c"
    # ...but a German clause is closed by its comma, "und" or not.
    assert _lang.join("de", ["die Neuordnung, die ich geleitet habe", "das Team"]) == (
        "die Neuordnung, die ich geleitet habe, und das Team"
    )
    assert _lang.join("fr", ["a", "b", "c"]) == "a, b et c"


# --- dates: Babel, relative to the letter's date -------------------------------------------------


@pytest.mark.parametrize(
    ("language", "yesterday", "weekday", "long_ago"),
    [
        ("de", "gestern Nachmittag", "am Dienstag", "am 24. November"),
        ("fr", "hier après-midi", "mardi", "le 24 novembre"),
        ("es", "ayer por la tarde", "el martes", "el 24 de noviembre"),
    ],
)
def test_the_interview_day_as_a_person_writes_it(language, yesterday, weekday, long_ago):
    interview = example(language)
    assert yesterday in first(interview).paragraphs[0]  # an email read the next day
    assert weekday in letters(interview)[1].paragraphs[0]  # a posted letter arrives later
    later = first(interview, today=dt.date(2026, 12, 10))
    assert long_ago in later.paragraphs[0]


def test_today_and_the_decision_day():
    when = dt.datetime(2026, 11, 24, 14, tzinfo=dt.UTC)
    assert _lang.met("fr", when, dt.date(2026, 11, 24), reaches_today=True) == "aujourd’hui"
    assert _lang.met("es", when, dt.date(2026, 11, 24), reaches_today=True) == "hoy"
    monday = dt.date(2026, 11, 30)
    assert _lang.by_day("de", monday) == "bis zum 30. November"
    assert _lang.by_day("fr", monday) == "d’ici le lundi 30 novembre"
    assert _lang.by_day("es", monday) == "para el lunes 30 de noviembre"


def test_five_days_from_tuesday_falls_on_the_monday():
    """24 November + 5 days is a Sunday: the follow-up names Monday the 30th."""
    body = " ".join(first(example("fr"), "follow-up/status").paragraphs)
    assert "d’ici le lundi 30 novembre" in body


def test_babel_is_imported_only_when_a_letter_needs_it():
    code = "import sys, thankyou; assert 'babel' not in sys.modules, 'babel imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- checks --------------------------------------------------------------------------------------


def _greeting_findings(interview: Interview) -> dict[str, str]:
    now = dt.datetime(2026, 11, 24, 16, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    return {f.field: f.message for f in check(interview, now=now) if f.code == "neutral-greeting"}


def test_check_names_the_field_a_neutral_greeting_needs():
    found = _greeting_findings(example("de"))
    assert set(found) == {"panel[2].honorific"}  # Mei Chen; Sam is greeted by given name
    assert '"Guten Tag Mei Chen,"' in found["panel[2].honorific"]
    assert '"Frau" or "Herr"' in found["panel[2].honorific"]
    without_family = _greeting_findings(varied("de", panel_0={"family_name": None}))
    assert "panel[0].family_name" in without_family


def test_check_suggests_a_given_name_for_a_reference():
    data = copy.deepcopy(raw("es"))
    del data["references"][0]["given_name"]
    found = _greeting_findings(Interview.model_validate(data))
    assert "given_name" in found["references[0].honorific"]


def test_french_greets_without_the_family_name_and_english_never_warns():
    assert "panel[0].family_name" not in _greeting_findings(
        varied("fr", panel_0={"family_name": None})
    )
    assert _greeting_findings(varied("de", language="en")) == {}


def _email_words(interview: Interview) -> int:
    return sum(len(p.split()) for p in first(interview).paragraphs)


def _too_long(interview: Interview) -> list[str]:
    now = dt.datetime(2026, 11, 24, 16, tzinfo=dt.UTC)
    return [f.message for f in check(interview, now=now) if f.code == "too-long"]


def test_too_long_limit_follows_the_language():
    """190 words are too many in German (180), 220 are fine in French (230)."""
    base = _email_words(varied("de", panel_0={"personal": "Ende."}))
    german = varied("de", panel_0={"personal": "Wort " * (190 - base) + "Ende."})
    assert _email_words(german) == 190
    assert [m for m in _too_long(german) if "keep it to 180" in m]
    base = _email_words(varied("fr", panel_0={"personal": "fin."}))
    french = varied("fr", panel_0={"personal": "mot " * (220 - base) + "fin."})
    assert _email_words(french) == 220
    assert _too_long(french) == []


# --- essentials, length, one page ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", ["thank-you/email", "thank-you/formal", "thank-you/warm"])
def test_panel_letters_share_their_essentials(language, template):
    """Apart from the personal paragraph and the concerns a member raised, word for word."""
    by_email = {"delivery": "email", "email": "someone@acme.example"}
    interview = varied(language, panel_1=by_email, panel_2=by_email)  # one date wording for all
    written = letters(interview, template)
    shared = [
        [p for p in letter.paragraphs if p != letter.personal and "Kubernetes" not in p]
        for letter in written
    ]
    assert shared[0] == shared[1] == shared[2]
    assert len(shared[0]) >= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_thank_you_email_is_100_to_200_words(language):
    for letter in letters(example(language), "thank-you/email"):
        words = sum(len(p.split()) for p in letter.paragraphs)
        assert 100 <= words <= 200, (letter.recipient.name, words)


# --- every format, read back ---------------------------------------------------------------------


PANEL = (0, 1, 2)  # Priya Raman (email), Tomás O'Neill (post), Mei Chen (by hand)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("member", PANEL)
def test_panel_letter_as_pdf_one_page_with_its_conventions(language, member):
    letter = letters(example(language))[member]
    data = thankyou.render(letter, "pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        text = page.extract_text()
        words = page.extract_words(extra_attrs=["fontname"])
    assert letter.date_line in text
    assert letter.salutation in text
    assert letter.closing.split()[0] in text
    assert letter.paragraphs[0][:40] in text.replace("\n", " ")
    # The place and date stand flush right: they end at or past the longest line of the body.
    year = next(w for w in words if w["text"] == "2026")
    body_right = max(w["x1"] for w in words if w["top"] > year["bottom"])
    assert body_right - 1 <= year["x1"] <= page.width - 50
    if letter.heading:
        first_word = letter.heading.split()[0]
        heading_words = [w for w in words if w["text"] == first_word]
        assert heading_words and "Bold" in heading_words[0]["fontname"]
        flat = text.replace(NNBSP, " ")
        assert letter.heading.replace(NNBSP, " ") in flat
    else:
        assert "Asunto" not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("member", PANEL)
def test_panel_letter_as_docx(language, member):
    letter = letters(example(language))[member]
    document = Document(io.BytesIO(thankyou.render(letter, "docx")))
    paragraphs = {p.text: p for p in document.paragraphs}
    assert letter.salutation in paragraphs
    assert letter.date_line in paragraphs
    assert letter.closing in paragraphs
    assert letter.paragraphs[0] in paragraphs
    assert paragraphs[letter.date_line].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    if letter.heading:
        heading = paragraphs[letter.heading]
        assert heading.style.font.bold is True
        assert heading.style.name == "Subject Line"
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=1)  # A4


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("member", (0, 2))  # the two members with an email address
def test_panel_letter_as_email_reads_back_in_its_language(language, member):
    letter = letters(example(language), "thank-you/email")[member]
    message = email.message_from_bytes(
        thankyou.render(letter, "email"), policy=email.policy.default
    )
    assert message["Subject"] == letter.subject
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert plain.startswith(letter.salutation)
    assert letter.paragraphs[0] in plain
    assert f'<html lang="{language}">' in html
    assert letter.closing in plain


# --- the plan ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "thank_you", "calendar"),
    [
        ("de", "Dankesbrief senden – Priya Raman", "Nachfassen: Senior Data Engineer bei"),
        ("fr", "Envoyer la lettre de remerciement – Priya Raman", f"Suivi{NNBSP}: ingénieur"),
        ("es", "Enviar la carta de agradecimiento – Priya Raman", "Seguimiento: Senior"),
    ],
)
def test_plan_and_calendar_in_the_letters_language(language, thank_you, calendar):
    from icalendar import Calendar

    now = dt.datetime(2026, 11, 24, 16, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    steps = plan(example(language), now)
    assert thank_you in [s.summary for s in steps]
    cal = Calendar.from_ical(steps.to_ics())
    assert str(cal["x-wr-calname"]).startswith(calendar)
    events = [c for c in cal.walk("VEVENT")]
    assert thank_you in [str(e["summary"]) for e in events]
    assert {e["summary"].params["LANGUAGE"] for e in events} == {language}
    # The command line's own words stay English.
    assert steps.table().startswith("Plan for ")


def test_cli_renders_a_german_panel_with_english_messages(tmp_path):
    from click.testing import CliRunner

    from thankyou.cli import cli

    runner = CliRunner()
    out = tmp_path / "out"
    facts = EXAMPLES / "panel-interview.de.toml"
    result = runner.invoke(cli, ["render", str(facts), "-o", str(out), "--today", "2026-11-25"])
    assert result.exit_code == 0, result.stderr
    assert "3 written, 0 skipped, 0 failed" in result.stderr
    assert len(list(out.rglob("*.pdf"))) == 2 and len(list(out.rglob("*.eml"))) == 1


# --- user templates still win --------------------------------------------------------------------


def test_user_templates_override_the_built_in_language_versions(tmp_path):
    mine = tmp_path / "templates"
    (mine / "thank-you").mkdir(parents=True)
    own = '{% extends "_base/letter.j2" %}{% block body %}Mein eigener Text.{% endblock %}'
    (mine / "thank-you" / "email.j2").write_text(own, encoding="utf-8")
    letter = thankyou.compose(example("de"), "thank-you/email", template_dirs=[mine], today=TODAY)
    assert letter[0].paragraphs == ("Mein eigener Text.",)
    (mine / "de" / "thank-you").mkdir(parents=True)
    german = '{% extends "de/_base/letter.j2" %}{% block body %}auf Deutsch.{% endblock %}'
    (mine / "de" / "thank-you" / "email.j2").write_text(german, encoding="utf-8")
    letter = thankyou.compose(example("de"), "thank-you/email", template_dirs=[mine], today=TODAY)
    assert letter[0].paragraphs == ("auf Deutsch.",)
    assert letter[0].salutation == "Sehr geehrte Frau Dr. Raman,"


# --- golden letters ------------------------------------------------------------------------------


def _readable(letter: thankyou.Letter) -> str:
    how = letter.recipient.email if letter.delivery is thankyou.Delivery.email else letter.delivery
    return (
        f"Template: {letter.template}\nTo: {letter.recipient.name} ({how})\n"
        f"Subject: {letter.subject}\n\n{letter.text}"
    )


def _golden_letters() -> dict[str, str]:
    found = {}
    for language in LANGUAGES:
        interview = example(language)
        for info in templating.catalogue():
            for letter in thankyou.compose(interview, info.name, today=TODAY):
                template = info.name.replace("/", "-")
                name = f"{language}/{template}--{slugify(letter.recipient.name)}.txt"
                found[name] = _readable(letter)
    return found


GOLDEN_LETTERS = _golden_letters()


@pytest.mark.parametrize("name", sorted(GOLDEN_LETTERS))
def test_letter_matches_golden(name):
    """Each letter in each language is exactly the reviewed text in tests/golden-languages/."""
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOLDEN_LETTERS[name], encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {name}; run with THANKYOU_REGEN_GOLDEN=1 and review it"
    assert GOLDEN_LETTERS[name] == path.read_text(encoding="utf-8")


def test_no_stale_golden_letters():
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.txt")}
    assert on_disk == set(GOLDEN_LETTERS)


@pytest.mark.parametrize("name", sorted(GOLDEN_LETTERS))
def test_golden_letters_have_no_tells(name):
    """No doubled punctuation or words, no template syntax, every paragraph ends a sentence."""
    text = GOLDEN_LETTERS[name]
    body = text.split("\n\n", 1)[1]
    assert not re.search(r"[.,;:]\s*[.,;:]", body.replace("...", "")), body
    assert not re.search(r"\b(\w+) \1\b", body, re.IGNORECASE), body
    assert "{{" not in body and "{%" not in body
    assert "  " not in body


# --- English rules stay with English letters ---------------------------------------------------


def test_german_phrases_keep_their_nouns_and_are_not_judged_by_english_rules():
    interview = varied(
        "de",
        highlights=["Die Umstellung auf Streaming.", "Kultur der Post-Mortems"],
        panel_0={"honorific": "Dr."},
    )
    body = first(interview).paragraphs[0]
    assert "die Umstellung auf Streaming und die Kultur" not in body  # the noun keeps its capital
    assert "geblieben: die Umstellung auf Streaming und Kultur der Post-Mortems." in body
    now = dt.datetime(2026, 11, 24, 16, tzinfo=dt.UTC)
    codes = {(f.code, f.field) for f in check(interview, now=now)}
    assert not [c for c in codes if c[0] in ("phrase-form", "greeting")]
    assert ("neutral-greeting", "panel[0].honorific") in codes
    english = varied("de", language="en", highlights=["Kultur der Post-Mortems"])
    assert "phrase-form" in {f.code for f in check(english, now=now)}


def test_starter_mentions_the_language():
    text = (templating.builtin_root() / "_starter.toml").read_text(encoding="utf-8")
    assert '# language = "de"' in text


# --- messy facts, in every language ------------------------------------------------------------

MESSY = sorted((Path(__file__).resolve().parent / "data" / "messy").glob("*.toml"))
_DOUBLED = re.compile(r"(?<![.?!])[.,;:!?][ \u202f\u00a0]*[.,;:](?!\.)|\b(\w+) \1\b")
_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bTrue\b|\bFalse\b")


_ABBREVIATION = re.compile(r"\b(Inc|Ltd|Co|Corp|Jr|Sr|St|etc|Dr|Mr|Mrs|Ms|S\.A|GmbH)\.")


def _lint(letter: thankyou.Letter) -> list[str]:
    """Mechanical tells in any language: template syntax, doubled marks, unfinished paragraphs."""
    problems = []
    for paragraph in letter.paragraphs:
        if found := _DOUBLED.search(_ABBREVIATION.sub(r"\1", paragraph)):  # "Inc., et" is right
            problems.append(f"doubled {found.group()!r}: {paragraph!r}")
        prose = paragraph.split("\n– ")[0]
        ends = ":" if "\n– " in paragraph else ".?!"
        if not prose.rstrip("\"'”’»)").endswith(tuple(ends)):
            problems.append(f"unfinished: {paragraph!r}")
    text = "\n".join([letter.subject, letter.salutation, *letter.paragraphs, letter.closing])
    if found := _LEFTOVER.search(text):
        problems.append(f"leftover {found.group()!r}")
    if "  " in text:
        problems.append("double space")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_messy_facts_read_right_in_every_language(language):
    """The messy corpus (typed the way people type) in German, French and Spanish templates."""
    problems = []
    for path in MESSY:
        data = facts.parse(path)
        data["language"] = language
        interview = Interview.model_validate(data)
        for info in templating.catalogue():
            try:
                written = thankyou.compose(interview, info.name, today=TODAY)
            except FactsError:  # no references or no recruiter in this file
                continue
            for letter in written:
                assert letter.language == language
                problems += [f"{path.stem} {info.name}: {p}" for p in _lint(letter)]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        (
            "de",
            "Eine Entscheidung soll bis zum 30. November fallen.",
            "sollte bis zum 30. November",
        ),
        ("fr", "La décision est attendue d’ici le lundi 30 novembre.", "était attendue"),
        ("es", "Esperan tomar una decisión para el lunes 30 de noviembre.", "Esperaban tomar"),
    ],
)
def test_debrief_speaks_of_a_past_decision_day_in_the_past(language, before, after):
    interview = example(language)
    assert before in " ".join(first(interview, "recruiter/debrief").paragraphs)
    late = first(interview, "recruiter/debrief", today=dt.date(2026, 12, 2))
    assert after in " ".join(late.paragraphs)


def test_the_lint_above_catches_what_it_looks_for(make_letter):
    for text in ("Fin.. ", "la la suite.", "{{ x }}.", "sans point"):
        assert _lint(make_letter(paragraphs=(text.strip(),), personal=None)), text


def test_a_verbatim_french_salutation_is_repeated_in_the_formula():
    letter = first(varied("fr", panel_0={"salutation": "Madame la Présidente,"}))
    assert letter.salutation == "Madame la Présidente,"
    assert letter.closing == (
        "Je vous prie d’agréer, Madame la Présidente, l’expression de mes salutations distinguées."
    )
    own = first(varied("fr", panel_0={"salutation": "Chère Priya,"}))
    assert own.closing == "Bien cordialement,"


def test_plan_says_in_the_letters_language_that_a_holiday_moved_the_follow_up():
    data = copy.deepcopy(raw("de"))
    data.update(country="DE", date="2026-12-23T10:00:00+01:00")  # +2 days: Christmas Day
    now = dt.datetime(2026, 12, 23, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    (step,) = [s for s in plan(Interview.model_validate(data), now) if s.key == "follow-up"]
    assert step.due.date() == dt.date(2026, 12, 28)
    assert step.details.startswith("Die Entscheidung war innerhalb von 5 Tagen angekündigt. ")
    assert "Wegen eines Feiertags verschoben." in step.details
    assert "Christmas" not in step.details


def test_english_dates_stay_flush_left(make_letter):
    letter = make_letter()
    assert letter.language == "en" and not letter.date_right
    document = Document(io.BytesIO(thankyou.render(letter, "docx")))
    (date,) = [p for p in document.paragraphs if p.text == letter.date_line]
    assert date.alignment is None


def test_helpers_for_user_templates():
    lang = _lang.Lang(
        code="de",
        greeting=_lang.Greeting("Guten Tag Mei Chen,", "", True, False),
        interview=dt.date(2026, 11, 24),
        today=TODAY,
        reaches_today=True,
        decision_day=None,
    )
    assert lang.date(TODAY) == "25. November 2026"
    assert lang.day(TODAY) == "25. November"
    assert lang.quote("Atlas") == "„Atlas“"
    assert lang.met() == "gestern"  # a bare date: no part of the day
    assert lang.by() == "" and not lang.decision_passed


def test_points_to_emphasise_are_fitted_in_the_letters_language():
    data = copy.deepcopy(raw("de"))
    data["references"][1]["emphasise"] = ["Die Streaming-Migration.", "Kubernetes im Betrieb"]
    interview = Interview.model_validate(data)
    (dana,) = [b for b in letters(interview, "references/briefing") if "Dana" in b.recipient.name]
    body = " ".join(dana.paragraphs)
    assert "eingehen: die Streaming-Migration und Kubernetes im Betrieb." in body
    (sam,) = [b for b in letters(interview, "references/briefing") if "Sam" in b.recipient.name]
    assert "auslassen: die Streaming-Migration und Kubernetes im Betrieb." in " ".join(
        sam.paragraphs
    )
