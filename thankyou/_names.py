"""Text heuristics behind two checks of SPEC §7: ``name-spelling`` and ``look-alike-domain``.

A name that disagrees with its address, and an internationalised domain that
imitates another. Pure functions of strings, kept apart from :mod:`thankyou.checks` so each can be
read and tested on its own.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

from text_unidecode import unidecode  # type: ignore[import-untyped]

from thankyou.models import ascii_email

__all__ = [
    "LATIN_LOOKALIKES",
    "NEAR_RATIO",
    "SHARED_INBOXES",
    "lookalike_reason",
    "spelling_mismatch",
]


#: Shared inboxes say nothing about the person's name.
SHARED_INBOXES = frozenset({
    "apply", "applications", "career", "careers", "contact", "hello", "help", "hiring", "hr",
    "info", "interviews", "job", "jobs", "mail", "noreply", "office", "people", "recruit",
    "recruiter", "recruiters", "recruiting", "recruitment", "staffing", "talent", "team",
})  # fmt: skip
#: The longer ASCII spellings of letters that the plain transliteration shortens: German
#: (Müller -> Mueller, Straße -> Strasse, DIN 5007-2), Danish and Norwegian (Søren -> Soeren,
#: Åse -> Aase), Hungarian (Erdős -> Erdoes) and Catalan/Spanish (Núñez -> Nunyez).
#: Either spelling of a name counts as the name.
_EXPANDED = {
    "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ø": "oe", "å": "aa", "æ": "ae", "œ": "oe",
    "ő": "oe", "ű": "ue", "ñ": "ny", "þ": "th",
}  # fmt: skip
#: Beyond this many letters with two spellings, only the all-short and all-long forms are tried.
_MAX_VARIANT_LETTERS = 4
#: Two spellings at least this similar (difflib ratio) are a near miss: Jon/John 0.86,
#: Katherine/Kathryn 0.75, Sara/Sarah 0.89; William/Bill 0.55, Michael/Mike 0.55 are not.
NEAR_RATIO = 0.75


@functools.lru_cache(maxsize=4096)
def _plain(char: str) -> str:
    """One letter in lower-case ASCII: Latin letters transliterated, other scripts dropped."""
    if char.isascii():
        return char.lower() if char.isalpha() else ""
    if not unicodedata.name(char, "").startswith("LATIN"):
        return ""  # Cyrillic, Greek, CJK...: romanisations vary too much to compare
    return "".join(c for c in unidecode(char).lower() if c.isascii() and c.isalpha())


def _fold(text: str) -> str:
    """Lower-case ASCII with accents stripped: ``"Núñez"`` -> ``"nunez"``."""
    return "".join(_plain(c) for c in unicodedata.normalize("NFC", text))


def _spellings(word: str) -> frozenset[str]:
    """Every ASCII spelling of a word: ``"Jürgen"`` -> ``{"jurgen", "juergen"}``."""
    chars = unicodedata.normalize("NFC", word).lower()  # lower(), not casefold(): keep ß
    choices = [(_plain(c), _EXPANDED[c]) if c in _EXPANDED else (_plain(c),) for c in chars]
    if sum(len(choice) > 1 for choice in choices) > _MAX_VARIANT_LETTERS:
        short = "".join(choice[0] for choice in choices)
        return frozenset({short, "".join(choice[-1] for choice in choices)})
    return frozenset("".join(parts) for parts in itertools.product(*choices)) - {""}


def spelling_mismatch(name: str, email: str) -> tuple[str, str] | None:
    """Say whether an address's local part looks like a misspelling of the name.

    The local part (without ``+tag`` and digits) is split at ``.``, ``_`` and
    ``-``; each piece must be spelled from the name's words and initials, as in
    ``first.last``, ``flast``, ``firstl``, ``first_last``, ``first`` or ``last``.
    A piece that differs from a name word by a near miss (difflib ratio of at
    least :data:`NEAR_RATIO`, both at least 3 letters) is reported. A piece that
    is unrelated to the name (a nickname, a team name) or a shorter form of it
    ("tom" for "Tomás") says nothing, and neither do shared inboxes.

    Returns:
        ``(piece in the address, word in the name)`` for the first near miss, or None.
    """
    names = [w for w in re.split(r"[\s\-‐]+", name) if _fold(w)]
    words = {spelling: w for w in names for spelling in sorted(_spellings(w))}
    local = email.rsplit("@", 1)[0].split("+", 1)[0]
    pieces = [p for p in (_fold(p) for p in re.split(r"[._\-]+", local)) if p]
    if not words or not pieces or "".join(pieces) in SHARED_INBOXES or pieces[0] in SHARED_INBOXES:
        return None
    tokens = tuple(words)
    for piece in pieces:
        miss = _explain(piece, tokens, len(names) + 1)
        if miss:
            piece_found, word, _ratio = miss[0]
            return piece_found, words[word]
    return None


#: One near miss: (piece of the address, word of the name, difflib ratio).
_Miss = tuple[str, str, float]


@functools.lru_cache(maxsize=4096)
def _explain(text: str, tokens: tuple[str, ...], budget: int) -> tuple[_Miss, ...] | None:
    """Spell ``text`` from at most ``budget`` name words, initials and near misses of words.

    Returns:
        ``()`` when ``text`` is spelled exactly; else the most plausible reading
        (fewest near misses, then the closest ones); None when it cannot be spelled.
    """
    if not text:
        return ()
    if budget == 0:
        return None
    best: tuple[_Miss, ...] | None = None
    # A ratio of 0.75 needs 2*m/(a+b) >= 0.75, so a piece is at most 5/3 of the word's length.
    longest = max(len(t) for t in tokens) * 5 // 3 + 1
    for end in range(1, min(len(text), longest) + 1):
        for used in _readings(text[:end], tokens):
            rest = _explain(text[end:], tokens, budget - 1)
            if rest is None:
                continue
            found = used + rest
            if not found:
                return ()
            if best is None or _cost(found) < _cost(best):
                best = found
    return best


def _cost(misses: tuple[_Miss, ...]) -> tuple[int, float]:
    return len(misses), sum(1 - ratio for _, _, ratio in misses)


def _readings(head: str, tokens: tuple[str, ...]) -> Iterator[tuple[_Miss, ...]]:
    """Ways ``head`` can stand for one word: exactly (``()``) or as a near miss."""
    if head in tokens or (len(head) == 1 and any(t[0] == head for t in tokens)):
        yield ()
        return
    for token in tokens:
        if ratio := _near(head, token):
            yield ((head, token, ratio),)


def _near(piece: str, word: str) -> float:
    """The similarity of a near miss, or 0.0 when ``piece`` is no near miss of ``word``."""
    if len(piece) < 3 or len(word) < 3 or piece == word:
        return 0.0
    if word.startswith(piece) and len(word) - len(piece) >= 2:
        return 0.0  # a short form such as "tom" for "tomas", not a typo
    ratio = difflib.SequenceMatcher(None, piece, word).ratio()
    return ratio if ratio >= NEAR_RATIO else 0.0


# -- look-alike domains ----------------------------------------------------------------------

#: Letters of other scripts that pass for lower-case Latin ones in a domain
#: (IDNA lower-cases domains, so capitals do not matter).
LATIN_LOOKALIKES = frozenset(
    "асеһіјӏорԛѕԝхуԁьүӓӧ"  # Cyrillic
    "αορνικτυχϲϳ"  # Greek
    "օսհոցզ"  # Armenian
)
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "IDEOGRAPHIC": "CJK"}


def _script(char: str) -> str:
    """The script of a letter, from the first word of its Unicode name."""
    word = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
    return _SCRIPT_GROUPS.get(word, word)


def lookalike_reason(address: str) -> str | None:
    """Say why an address's domain may imitate another, or None.

    Only internationalised domains are examined (their Unicode and punycode
    forms differ). A label is suspicious when it mixes scripts (Cyrillic ``а``
    in ``аpple``) or is written wholly in letters of another script that look
    Latin (``аррӏе``).
    """
    domain = address.rsplit("@", 1)[-1]
    if ascii_email(address).rsplit("@", 1)[-1] == domain:
        return None
    for label in domain.split("."):
        letters = [c for c in label if unicodedata.category(c).startswith("L")]
        scripts = sorted({_script(c) for c in letters})
        if len(scripts) > 1:
            names = " and ".join(s.title() for s in scripts)
            return f'"{label}" mixes {names} letters'
        if scripts and scripts != ["LATIN"] and all(c in LATIN_LOOKALIKES for c in letters):
            return f'"{label}" is written in {scripts[0].title()} letters that look Latin'
    return None
