"""How letters are written in German, French and Spanish: greetings, dates, lists, typography.

Each convention is applied here and cites where it comes from:

- German business letters follow DIN 5008:2020 ("Schreib- und Gestaltungsregeln für
  die Text- und Informationsverarbeitung"): "Sehr geehrte Frau Dr. Raman," with the
  academic degree kept and the body starting lower-case after the comma; "Guten Tag
  Mei Chen," as the gender-neutral greeting; "Mit freundlichen Grüßen" without a
  comma; the date as "25. November 2026"; a bold subject line with no "Betreff:".
- French letters follow the Lexique des règles typographiques en usage à l'Imprimerie
  nationale and the Office québécois de la langue française's guide to letters:
  "Madame," / "Monsieur," without the name; a closing formula that repeats the
  salutation ("Je vous prie d'agréer, Madame, l'expression de mes salutations
  distinguées."); "Objet :"; a narrow no-break space (U+202F) before ; : ! ? and
  inside « guillemets »; the date as "Lyon, le 25 novembre 2026".
- Spanish letters follow the Real Academia Española (Diccionario panhispánico de
  dudas, entries "carta", "dos puntos", "y"): "Estimada Dra. Raman:" with a colon;
  "Atentamente,"; the date as "25 de noviembre de 2026"; the conjunction "y"
  becomes "e" before a word that starts with the sound /i/ ("i", "hi", not "hie").

Month and weekday names, date patterns and the words for "yesterday" and "afternoon"
come from the Unicode CLDR through Babel, imported only when a letter needs them.
The sentences of the plan are ours, and so are the greeting frames above.

An honorific is read in the letter's language and says a gender only through a word
that carries one in that language ("Frau", "Herr", "Madame", "Monsieur", "Sra.",
"Sr.", "Dra.", and the English "Ms.", "Mrs.", "Mr."). "Dr." and "Prof." are written
alike in English and Spanish and carry none, so a letter never guesses: without such
a word it falls back to a greeting that is polite in every case and ``check`` names
the field to fill in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

if TYPE_CHECKING:
    from babel import Locale

    from thankyou._prose import Value

__all__ = [
    "LANGUAGES",
    "Greeting",
    "Lang",
    "greeting",
    "join",
    "language_of",
    "typeset",
]

Code = Literal["en", "de", "fr", "es"]
#: The languages letters are written in; English is the default.
LANGUAGES: tuple[Code, ...] = ("en", "de", "fr", "es")

#: A thank-you email over this many words is too long. The same reading time: German
#: uses about a tenth fewer words than English for the same content, French and
#: Spanish about a sixth more (articles and prepositions are words of their own).
MAX_EMAIL_WORDS = {"en": 200, "de": 180, "fr": 230, "es": 230}

NNBSP = "\u202f"  # narrow no-break space, French typography

# --- honorifics ---------------------------------------------------------------------------

Gender = Literal["f", "m"]

#: Words of an honorific that say how to address the reader, per language of the letter.
#: English forms are understood in every language: the user said them, nothing is guessed.
_GENDERED: dict[str, dict[str, Gender]] = {
    "de": {"frau": "f", "herr": "m"},
    "fr": {"madame": "f", "mme": "f", "monsieur": "m", "m": "m"},
    "es": {
        "sra": "f", "señora": "f", "srta": "f", "señorita": "f", "dra": "f", "doña": "f",
        "sr": "m", "señor": "m", "don": "m",
    },
}  # fmt: skip
_ENGLISH: dict[str, Gender] = {"ms": "f", "mrs": "f", "miss": "f", "mr": "m"}
#: Spanish degrees that carry the gender themselves ("Dra." is a woman doctor).
_ES_DEGREE = {"dra": "Dra.", "lic": "Lic.", "lda": "Lda.", "ldo": "Ldo.", "ing": "Ing."}


@dataclasses.dataclass(frozen=True)
class Honorific:
    """What an honorific says: a gender (when a word says one) and the degrees to keep."""

    gender: Gender | None
    #: Academic degrees as typed ("Dr.", "Prof. Dr."), to go before the family name.
    degrees: str
    #: The words as typed when they form a French vocative ("Madame la Directrice").
    vocative: str | None = None


def _word(token: str) -> str:
    return token.rstrip(".").casefold()


def parse_honorific(language: str, honorific: str | None) -> Honorific:
    """Read an honorific in the letter's language; see the module docstring for the rule."""
    if not honorific:
        return Honorific(None, "")
    gendered = {**_ENGLISH, **_GENDERED.get(language, {})}
    gender: Gender | None = None
    degrees: list[str] = []
    tokens = honorific.split()
    for token in tokens:
        word = _word(token)
        if word in gendered and gender is None:
            gender = gendered[word]
            if language == "es" and word == "dra":
                degrees.append("Dra.")
        elif language == "es" and word in _ES_DEGREE:
            degrees.append(_ES_DEGREE[word])
        else:
            degrees.append(token)
    vocative = None
    # "Madame la Directrice": the honorific is already the whole French salutation.
    if language == "fr" and gender and len(tokens) > 1 and _word(tokens[1]) in ("la", "le", "l'"):
        vocative = honorific
    return Honorific(gender, " ".join(degrees), vocative)


# --- greetings ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Greeting:
    """The salutation and the words that depend on it."""

    #: The salutation with its punctuation: "Sehr geehrte Frau Dr. Raman,".
    salutation: str
    #: French: the form of address repeated in the closing formula ("Madame"), else "".
    vocative: str
    #: True when no gender or family name was given and a neutral greeting was used.
    neutral: bool
    #: True on first-name terms (a reference or the recruiter with a ``given_name``).
    familiar: bool


def greeting(language: str, person: Any, *, email: bool, first_name_terms: bool) -> Greeting:
    """The salutation for ``person`` in ``language`` (``de``, ``fr`` or ``es``).

    Args:
        language: The letter's language.
        person: A panel member, recruiter or reference (any object with ``name``;
            ``honorific``, ``family_name``, ``given_name`` and ``salutation`` are read
            when present).
        email: The letter goes by email (only German first-name greetings differ).
        first_name_terms: The reader may be greeted by ``given_name`` (references
            and the recruiter).
    """
    verbatim = getattr(person, "salutation", None)
    given = getattr(person, "given_name", None)
    if verbatim:
        return Greeting(verbatim, _vocative_of(language, verbatim), False, bool(given))
    if given and first_name_terms:
        return Greeting(_first_name(language, given), "", False, True)
    honorific = parse_honorific(language, getattr(person, "honorific", None))
    family = getattr(person, "family_name", None)
    if language == "fr" and honorific.gender:
        vocative = honorific.vocative or ("Madame" if honorific.gender == "f" else "Monsieur")
        return Greeting(f"{vocative},", vocative, False, False)
    if honorific.gender and family:
        return Greeting(_formal(language, honorific, family), "", False, False)
    return Greeting(_neutral(language, honorific.degrees, person.name), "", True, False)


#: What to write in ``honorific`` so that a letter can greet someone by name, per language.
HONORIFIC_HINT = {
    "de": '"Frau" or "Herr" (with a degree if they have one: "Frau Dr.")',
    "fr": '"Madame" or "Monsieur"',
    "es": '"Sra." or "Sr." (a doctor: "Dra." or "Sr. Dr.")',
}


def greeting_gap(language: str, person: Any, *, first_name_terms: bool) -> str | None:
    """The field that would spare ``person`` the neutral greeting, or None when none is needed.

    ``honorific`` when it says no gender in ``language``; else ``family_name`` when
    the formal German or Spanish greeting needs it (French greets without the name).
    """
    if language == "en" or getattr(person, "salutation", None):
        return None
    if first_name_terms and getattr(person, "given_name", None):
        return None
    if parse_honorific(language, getattr(person, "honorific", None)).gender is None:
        return "honorific"
    if language != "fr" and not getattr(person, "family_name", None):
        return "family_name"
    return None


def _formal(language: str, honorific: Honorific, family: str) -> str:
    degrees = f"{honorific.degrees} " if honorific.degrees else ""
    if language == "de":
        # DIN 5008: the academic degree stays in the salutation ("Frau Dr. Raman").
        if honorific.gender == "f":
            return f"Sehr geehrte Frau {degrees}{family},"
        return f"Sehr geehrter Herr {degrees}{family},"
    # RAE, "carta": the greeting ends with a colon; a degree stands for Sr./Sra.
    adjective = "Estimada" if honorific.gender == "f" else "Estimado"
    if honorific.degrees:
        return f"{adjective} {honorific.degrees} {family}:"
    return f"{adjective} {'Sra.' if honorific.gender == 'f' else 'Sr.'} {family}:"


def _neutral(language: str, degrees: str, name: str) -> str:
    full = f"{degrees} {name}" if degrees and language == "de" else name
    if language == "de":
        return f"Guten Tag {full},"  # DIN 5008's gender-neutral greeting
    if language == "fr":
        return f"Bonjour {full},"
    return f"Buenos días, {full}:"


def _first_name(language: str, given: str) -> str:
    if language == "de":
        return f"Hallo {given},"
    if language == "fr":
        return f"Bonjour {given},"
    return f"Hola, {given}:"


def _vocative_of(language: str, salutation: str) -> str:
    """French: the closing formula repeats the salutation without its comma."""
    if language != "fr":
        return ""
    text = salutation.rstrip(" ,:")
    return (
        text
        if re.match(r"(?i)(madame|monsieur|mesdames|messieurs|ma[iî]tre|docteur)", text)
        else ""
    )


def closing_formula(vocative: str) -> str:
    """French closing formula matched to the salutation (OQLF, "formules de salutation")."""
    if vocative:
        return f"Je vous prie d’agréer, {vocative}, l’expression de mes salutations distinguées."
    return "Je vous prie d’agréer l’expression de mes salutations distinguées."


# --- lists ----------------------------------------------------------------------------------

#: "i", "hi" and accented forms start with the vowel /i/; "hie", "hia"... start with /j/.
_ES_I_SOUND = re.compile(r"(?i)^h?[iíï](?![aeiouáéóú])")


def join(language: str, items: Iterable[Any]) -> str:
    """Join phrases as prose: "a, b und c", "a, b et c", "a, b e inglés" (no serial comma)."""
    words = [str(item) for item in items]
    if language == "en":
        if len(words) <= 2:
            return " and ".join(words)
        return ", ".join(words[:-1]) + ", and " + words[-1]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    if language == "de" and "," in words[-2]:
        # Duden: a clause set off by a comma is closed by one, even before "und"
        # ("die Neuordnung, die ich geleitet habe, und …").
        words[-2] += ","
    return ", ".join(words[:-1]) + f" {_and(language, words[-1])} " + words[-1]


def _and(language: str, following: str) -> str:
    if language == "de":
        return "und"
    if language == "fr":
        return "et"
    # RAE, "y": "e" before a word starting with the sound /i/ ("Pedro e Isabel",
    # "agujas e hilos"), but "y" before the diphthong ("agua y hielo").
    return "e" if _ES_I_SOUND.match(following.lstrip("«\"'")) else "y"


# --- typography -----------------------------------------------------------------------------

_FR_BEFORE = re.compile(r"[ \u00a0\u202f]?([;:!?»])(?=\s|$|[).,»])")
_FR_BEFORE_CLOSE = re.compile(r"[ \u00a0\u202f]?»")
_FR_AFTER_OPEN = re.compile(r"«[ \u00a0\u202f]?")
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]+)"')


def typeset(language: str, text: str) -> str:
    """Apply the punctuation rules of ``language`` to text the program wrote.

    French: straight double quotes become « guillemets », and a narrow no-break
    space (U+202F) goes inside them and before ; : ! ? (Imprimerie nationale).
    German quotes are „…“ (DIN 5008), Spanish ones «…» (RAE, "comillas").
    Times, URLs and addresses ("14:00", "https://") are left alone: the colon there
    is not followed by a space.
    """
    if language == "fr":
        text = _STRAIGHT_QUOTES.sub("«\\1»", text)
        text = _FR_BEFORE.sub(lambda m: NNBSP + m.group(1), text)
        text = _FR_BEFORE_CLOSE.sub(NNBSP + "»", text)
        return _FR_AFTER_OPEN.sub("«" + NNBSP, text)
    if language == "de":
        return _STRAIGHT_QUOTES.sub("„\\1“", text)
    if language == "es":
        return _STRAIGHT_QUOTES.sub("«\\1»", text)
    return text


#: French elides "de" before a vowel. Not before "h": a mute h elides ("d’hôtel"), an
#: aspirated one does not ("de hauteur"), and only a dictionary knows which is which.
_FR_VOWEL = frozenset("aeiouàâæéèêëîïôœùûüAEIOUÀÂÆÉÈÊËÎÏÔŒÙÛÜ")


def elide_de(text: str) -> str:
    """French "de" followed by ``text``: "d’ingénieur data", "de Senior Data Engineer"."""
    return f"d’{text}" if text[:1] in _FR_VOWEL else f"de {text}"


def quote(language: str, text: str) -> str:
    """Quote ``text`` as the language does."""
    return typeset(language, f'"{text}"') if language != "en" else f"“{text}”"


# --- dates ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    from babel import Locale  # lazy: keeps `import thankyou` light

    return Locale.parse(language)


def long_date(language: str, day: dt.date) -> str:
    """The date with its year.

    "25. November 2026", "25 novembre 2026", "25 de noviembre de 2026".
    """
    from babel.dates import format_date

    return format_date(day, "long", locale=language)


def day_month(language: str, day: dt.date) -> str:
    """The date without the year: "25. November", "25 novembre", "25 de noviembre"."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMMd", day, locale=language)


def weekday(language: str, day: dt.date) -> str:
    """The weekday's name from CLDR: "Dienstag", "mardi", "martes"."""
    from babel.dates import format_date

    return format_date(day, "EEEE", locale=language)


def _relative_day(language: str, offset: int) -> str:
    """CLDR's word for a day near today: -1 gives "gestern", "hier", "ayer"."""
    fields = _locale(language)._data["date_fields"]  # CLDR <field type="day"> (no public API)
    return str(fields["day"]["relative"][offset])


def _period(language: str, moment: dt.time) -> str:
    """The part of the day, stand-alone ("Nachmittag", "après-midi", "tarde"), from CLDR."""
    from babel.dates import get_period_id

    period = get_period_id(moment, locale=language)
    names = _locale(language).day_periods["stand-alone"]
    name = names["wide"].get(period) or names["abbreviated"].get(period) or ""
    if language == "fr" and period == "noon":
        return "midi"
    if language == "es" and period == "noon":
        return "al mediodía"
    if language == "es" and name:
        return f"por la {name}"  # mañana, tarde, noche, madrugada: all feminine
    return str(name)


def date_line(language: str, day: dt.date, city: str | None) -> str:
    """The letter's date line: German without a place (DIN 5008), French and Spanish after it."""
    date = long_date(language, day)
    if language == "fr":
        return f"{city}, le {date}" if city else f"Le {date}"
    if language == "es" and city:
        return f"{city}, {date}"
    return date


def met(language: str, when: dt.datetime | dt.date, today: dt.date, *, reaches_today: bool) -> str:
    """When the interview was, as a person writes it from the letter's date.

    "gestern Nachmittag", "am Dienstag", "am 24. November" (de); "hier après-midi",
    "mardi", "le 24 novembre" (fr); "ayer por la tarde", "el martes", "el 24 de
    noviembre" (es). "Today" and "yesterday" only for a letter read the day it is
    written (``reaches_today``): a posted letter arrives later.
    """
    day = when.date() if isinstance(when, dt.datetime) else when
    offset = (day - today).days
    if reaches_today and offset in (0, -1):
        word = _relative_day(language, offset)
        if isinstance(when, dt.datetime) and offset == -1:
            return f"{word} {_period(language, when.time())}"
        return word
    if -7 < offset <= 0:
        name = weekday(language, day)
        return {"de": f"am {name}", "fr": name, "es": f"el {name}"}[language]
    date = day_month(language, day)
    return {"de": f"am {date}", "fr": f"le {date}", "es": f"el {date}"}[language]


def by_day(language: str, day: dt.date) -> str:
    """A deadline the reader can check, that reads in mid-sentence.

    "bis zum 30. November" (a weekday would need commas on both sides in German),
    "d’ici le lundi 30 novembre", "para el lunes 30 de noviembre".
    """
    name, date = weekday(language, day), day_month(language, day)
    if language == "de":
        return f"bis zum {date}"
    if language == "fr":
        return f"d’ici le {name} {date}"
    return f"para el {name} {date}"


# --- the object templates see -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Lang:
    """The language helpers a de/fr/es template reaches as ``lang``.

    Everything a template needs that differs by language and is not prose of its
    own: dates, greetings, lists, the closing.
    """

    #: The methods a template may call (the sandbox's allow-list reads this): each only
    #: computes text from its arguments and the fields below.
    TEMPLATE_METHODS: ClassVar[frozenset[str]] = frozenset(
        {"met", "by", "date", "day", "join", "count", "de", "quote"}
    )

    code: str
    greeting: Greeting
    #: When the interview was (a bare date when the facts give no time).
    interview: dt.datetime | dt.date
    today: dt.date
    #: The reader gets the letter the day it is written (an email).
    reaches_today: bool
    #: The day the interviewers said they would decide by, if they did.
    decision_day: dt.date | None

    @property
    def salutation(self) -> str:
        """The greeting line with its punctuation."""
        return self.greeting.salutation

    @property
    def familiar(self) -> bool:
        """On first-name terms: du, tu, tú."""
        return self.greeting.familiar

    @property
    def formula(self) -> str:
        """The French closing formula, matched to the salutation.

        It repeats a "Madame,"-style greeting; after the neutral greeting it goes
        without one; after a greeting of the user's own that is no such form of
        address ("Chère Priya,"), or on first-name terms, the long formula would be
        stiff, so the letter closes "Bien cordialement,".
        """
        if self.greeting.vocative or self.greeting.neutral:
            return closing_formula(self.greeting.vocative)
        return "Bien cordialement,"

    @property
    def decision_passed(self) -> bool:
        """The day they said they would decide by is before the letter's date."""
        return self.decision_day is not None and self.decision_day < self.today

    def met(self) -> str:
        """When the interview was, relative to the letter's date: "gestern Nachmittag"."""
        return met(self.code, self.interview, self.today, reaches_today=self.reaches_today)

    def by(self, day: dt.date | None = None) -> str:
        """The decision deadline (or ``day``) as a date the reader can check."""
        target = day or self.decision_day
        return by_day(self.code, target) if target else ""

    def date(self, day: dt.date) -> str:
        """The date with its year."""
        return long_date(self.code, day)

    def day(self, day: dt.date) -> str:
        """The date without its year."""
        return day_month(self.code, day)

    def join(self, items: Iterable[Any]) -> str:
        """Join phrases with the language's "and"."""
        return join(self.code, items)

    def count(self, number: int) -> str:
        """A small number as a word ("zwei", "deux", "dos"), larger ones in digits."""
        words = _NUMBERS.get(self.code, ())
        return words[number] if 0 <= number < len(words) else str(number)

    def de(self, text: str) -> str:
        """French "de" before ``text``, elided before a vowel: "d’ingénieur", "de Senior…"."""
        return elide_de(text)

    def quote(self, text: str) -> str:
        """Quote text with the language's quotation marks."""
        return quote(self.code, text)


#: Number words up to six, for "zwei Themen", "deux sujets", "dos temas" (0 and 1 unused:
#: their frames are written out, because "ein"/"un"/"un" agree with the noun).
_NUMBERS = {
    "de": ("null", "ein", "zwei", "drei", "vier", "fünf", "sechs"),
    "fr": ("zéro", "un", "deux", "trois", "quatre", "cinq", "six"),
    "es": ("cero", "un", "dos", "tres", "cuatro", "cinco", "seis"),
}


def language_of(interview: Any, person: Any) -> Code:
    """The language of ``person``'s letters: their own, else the interview's."""
    code = getattr(person, "language", None) or getattr(interview, "language", "en")
    return cast(Code, code)  # both fields are validated as a Language


# --- values fitted to German, French and Spanish frames ----------------------------------

#: Words that start a phrase and never a name: a capital on them is the typist's, not the
#: word's ("Die Umstellung…" after a colon becomes "die Umstellung…"). German nouns keep
#: their capitals: only articles, possessives and question words are here.
LOWERABLE = {
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "den",
            "dem",
            "des",
            "ein",
            "eine",
            "einen",
            "einem",
            "einer",
            "eines",
            "kein",
            "keine",
            "mein",
            "meine",
            "meinen",
            "meiner",
            "unser",
            "unsere",
            "unseren",
            "unserer",
            "ihr",
            "ihre",
            "ihren",
            "ihrer",
            "wie",
            "was",
            "warum",
            "wann",
            "wo",
            "ob",
            "dass",
            "zwei",
            "drei",
            "vier",
            "fünf",
            "sechs",
            "mehrere",
            "einige",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "l",
            "un",
            "une",
            "des",
            "du",
            "de",
            "d",
            "mon",
            "ma",
            "mes",
            "notre",
            "nos",
            "votre",
            "vos",
            "son",
            "sa",
            "ses",
            "leur",
            "leurs",
            "ce",
            "cet",
            "cette",
            "ces",
            "comment",
            "pourquoi",
            "quand",
            "où",
            "deux",
            "trois",
            "quatre",
            "plusieurs",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "lo",
            "un",
            "una",
            "unos",
            "unas",
            "mi",
            "mis",
            "nuestro",
            "nuestra",
            "nuestros",
            "nuestras",
            "su",
            "sus",
            "este",
            "esta",
            "estos",
            "estas",
            "ese",
            "esa",
            "cómo",
            "por",
            "qué",
            "cuándo",
            "dónde",
            "dos",
            "tres",
            "cuatro",
            "varios",
            "varias",
        ]
    ),
}


_TWO_SENTENCES = re.compile(r"[.!?]\s+[A-ZÄÖÜÉÈÁÍÓÚ¿¡]")


def fit(language: str, text: str) -> Value:
    """Fit a value typed for a phrase frame, in ``language``.

    A value with more than one sentence, or ending with "?" or "!", is a sentence
    of its own; anything else is a phrase: its full stop goes, and its leading
    capital when it is on a word of :data:`LOWERABLE`. Every de/fr/es frame that
    takes a phrase puts it after a colon, so a case or a gender never has to agree.
    """
    from thankyou import _prose

    stripped = text.strip()
    if stripped.rstrip("\"'”’»)").endswith(("?", "!")) or _TWO_SENTENCES.search(stripped):
        return _prose.Value(_prose.as_sentence(stripped), sentence=True, raw=text)
    phrase = _prose.lower_initial(_prose.strip_stop(stripped), LOWERABLE[language])
    return _prose.Value(phrase, raw=text)


def refit(language: str, context: dict[str, Any]) -> dict[str, Any]:
    """The values of an English template context, fitted again for ``language``.

    The English rules know English words only; these keep a German noun's capital.
    """
    from thankyou import _context

    def again(value: Any) -> Any:
        return None if value is None else fit(language, value.raw or value.text)

    highlights = tuple(again(h) for h in context["highlights"])
    concerns = tuple(
        dataclasses.replace(c, topic=again(c.topic), answer=again(c.answer))
        for c in context["concerns"]
        if isinstance(c, _context.ConcernView)
    )

    def person(view: Any) -> Any:
        if view is None or not getattr(view, "emphasise", ()):
            return view
        return dataclasses.replace(view, emphasise=tuple(again(p) for p in view.emphasise))

    return {
        "recipient": person(context["recipient"]),
        "other_references": tuple(person(r) for r in context["other_references"]),
        "references": tuple(person(r) for r in context["references"]),
        "highlights": highlights,
        "topics": tuple(h for h in highlights if not h.sentence),
        "remarks": tuple(h for h in highlights if h.sentence),
        "concerns": concerns,
        "next_steps": again(context["next_steps"]),
        "fit": again(context["fit"]),
    }


# --- the plan -----------------------------------------------------------------------------------

#: The plan's calendar texts, written as a to-do list is in each language: an infinitive
#: ("Dankesbrief senden", "Envoyer la lettre", "Enviar la carta"), so that no text has to
#: choose between du and Sie, tu and vous, tú and usted. Placeholders are filled by
#: :func:`plan_text`; ``{de_position}`` is the position after French "de" (elided). A
#: holiday is not named: the ``holidays`` package names it in the country's language,
#: which need not be the letter's.
PLAN_TEXT: dict[str, dict[str, str]] = {
    "de": {
        "title": "{position} bei {company}",
        "calendar": "Nachfassen: {title}",
        "call": "Personalvermittlung anrufen",
        "call.details": (
            "{name}{agency}{reach} direkt nach dem Gespräch anrufen: erzählen, wie es lief, "
            "und nach Feedback und dem nächsten Schritt fragen. Bei Nichterreichen die "
            "E-Mail recruiter/debrief senden."
        ),
        "reach": " unter {reach}",
        "or": " oder ",
        "thank-you": "Dankesbrief senden",
        "thank-you.details": "{name}{role} innerhalb von 24 Stunden danken. {where}.",
        "where.email": "Per E-Mail an {email} senden",
        "where.post": "Per Post an {address} schicken",
        "where.hand": (
            "Ausdrucken, unterschreiben und persönlich übergeben oder am Empfang von "
            "{company} abgeben"
        ),
        "brief": "Referenz informieren",
        "brief.details": (
            "{name} ({email}) Bescheid geben, dass {company} wegen der Stelle als {position} "
            "anrufen könnte{points}."
        ),
        "points": ", und was betont werden soll: {points}",
        "follow-up": "Nach der Entscheidung fragen",
        "follow-up.details": (
            "{said}Falls von {company} nichts gekommen ist, an {name} schreiben: noch einmal "
            "danken, das Interesse an der Stelle als {position} bekräftigen und nach dem "
            "Stand fragen."
        ),
        "said": "Die Entscheidung war innerhalb von {days} Tagen angekündigt. ",
        "moved": "Wegen eines Feiertags verschoben. ",
        "keep-searching": "Weiter suchen",
        "keep-searching.details": (
            "Nicht auf eine einzige Stelle warten: weiter bewerben und Gespräche führen, "
            "während {company} entscheidet."
        ),
    },
    "fr": {
        "title": "{position} chez {company}",
        "calendar": "Suivi\u202f: {title}",
        "call": "Appeler le cabinet de recrutement",
        "call.details": (
            "Appeler {name}{agency}{reach} juste après l’entretien\u202f: dire comment cela "
            "s’est passé, demander un retour et la prochaine étape. Sans réponse, envoyer le "
            "courriel recruiter/debrief."
        ),
        "reach": ", {reach},",
        "or": " ou ",
        "thank-you": "Envoyer la lettre de remerciement",
        "thank-you.details": "Remercier {name}{role} dans les 24 heures. {where}.",
        "where.email": "L’envoyer par courriel à {email}",
        "where.post": "La poster à l’adresse {address}",
        "where.hand": (
            "L’imprimer, la signer et la remettre en main propre ou à l’accueil de {company}"
        ),
        "brief": "Prévenir la référence",
        "brief.details": (
            "Prévenir {name} ({email}) que {company} pourrait appeler au sujet du poste "
            "{de_position}{points}."
        ),
        "points": ", et sur quoi insister\u202f: {points}",
        "follow-up": "Relancer pour la décision",
        "follow-up.details": (
            "{said}Sans nouvelles de {company}, écrire à {name}\u202f: remercier à nouveau, "
            "redire son intérêt pour le poste {de_position} et demander où en est le processus."
        ),
        "said": "La décision était annoncée sous {days} jours. ",
        "moved": "Décalé à cause d’un jour férié. ",
        "keep-searching": "Continuer à chercher",
        "keep-searching.details": (
            "Ne pas tout miser sur un seul poste\u202f: continuer à postuler et à passer des "
            "entretiens pendant que {company} décide."
        ),
    },
    "es": {
        "title": "{position} en {company}",
        "calendar": "Seguimiento: {title}",
        "call": "Llamar a la consultora",
        "call.details": (
            "Llamar a {name}{agency}{reach} justo después de la entrevista: contar cómo fue "
            "y pedir su opinión y el siguiente paso. Si no contesta, enviar el correo "
            "recruiter/debrief."
        ),
        "reach": ", {reach},",
        "or": " o ",
        "thank-you": "Enviar la carta de agradecimiento",
        "thank-you.details": "Dar las gracias a {name}{role} en menos de 24 horas. {where}.",
        "where.email": "Enviarla por correo electrónico a {email}",
        "where.post": "Enviarla por correo postal a {address}",
        "where.hand": (
            "Imprimirla, firmarla y entregarla en mano o dejarla en la recepción de {company}"
        ),
        "brief": "Avisar a la referencia",
        "brief.details": (
            "Avisar a {name} ({email}) de que {company} podría llamar por el puesto de "
            "{position}{points}."
        ),
        "points": ", y de qué destacar: {points}",
        "follow-up": "Preguntar por la decisión",
        "follow-up.details": (
            "{said}Si {company} no ha dado noticias, escribir a {name}: agradecer de nuevo, "
            "reiterar el interés por el puesto de {position} y preguntar cómo va el proceso."
        ),
        "said": "Dijeron que decidirían en {days} días. ",
        "moved": "Aplazado por un día festivo. ",
        "keep-searching": "Seguir buscando",
        "keep-searching.details": (
            "No esperar a una sola oferta: seguir enviando candidaturas y haciendo "
            "entrevistas mientras {company} decide."
        ),
    },
}


def plan_text(language: str, key: str, english: str, **values: Any) -> str:
    """A text of the plan in ``language``: ``english`` as it is, else :data:`PLAN_TEXT`'s."""
    if language not in PLAN_TEXT:
        return english
    if "position" in values:
        values.setdefault("de_position", elide_de(str(values["position"])))
    return PLAN_TEXT[language][key].format(**values)
