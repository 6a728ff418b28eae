"""The email renderer: standards-correct drafts, no header injection (docs/design/hazards.md).

Messages are read back with the stock ``policy.default`` parser, not the
renderer's own, so these tests check the bytes a mail client would see.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import thankyou
from thankyou.errors import RenderError
from thankyou.models import Candidate, Delivery
from thankyou.renderers import eml

# Spelled out here rather than taken from eml.HEADERS, so a new header needs a test change.
HEADERS = [
    "From", "To", "Subject", "Date", "Message-ID", "X-Unsent", "MIME-Version", "Content-Type",
]  # fmt: skip


@pytest.fixture
def letter(make_letter):
    return make_letter(delivery=Delivery.email, template="thank-you/email")


def parse(data: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)


def with_recipient(letter, **changes):
    return replace(letter, recipient=replace(letter.recipient, **changes))


def with_sender(letter, **changes):
    return replace(letter, sender=letter.sender.model_copy(update=changes))


def body(message: EmailMessage, subtype: str) -> str:
    # The wire form is CRLF, and the stdlib decodes a part with its CRLFs.
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


def test_headers_are_exactly_the_expected_ones(letter):
    """A draft carries From, To, Subject, Date, Message-ID, X-Unsent, MIME-Version, Content-Type."""
    message = parse(thankyou.render(letter, "email"))
    assert list(message.keys()) == HEADERS
    assert message["From"].addresses[0].display_name == "Alex Morgan"
    assert message["From"].addresses[0].addr_spec == "alex.morgan@example.com"
    assert message["To"].addresses[0].addr_spec == "priya.raman@acme.example"
    assert str(message["Subject"]) == letter.subject
    assert str(message["X-Unsent"]) == "1"
    assert str(message["MIME-Version"]) == "1.0"
    assert message.get_content_type() == "multipart/alternative"
    assert message.defects == []


def test_both_parts_carry_the_letter(letter):
    """text/plain is the body plus contact lines; text/html is the same words, escaped."""
    message = parse(thankyou.render(letter, "email"))
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    plain = body(message, "plain")
    assert plain == letter.body + "+1 555 010 0199\nalex.morgan@example.com\n"
    page = body(message, "html")
    for paragraph in letter.paragraphs:
        assert f'<p dir="auto">{paragraph}</p>' in page
    assert "Sincerely,<br>\nAlex Morgan<br>\n+1 555 010 0199" in page


def test_parts_do_not_repeat_mime_version(letter):
    """RFC 2045 §4: MIME-Version belongs to the top level only."""
    message = parse(thankyou.render(letter, "email"))
    assert all("MIME-Version" not in part for part in message.iter_parts())


def test_html_is_self_contained_and_accessible(letter):
    """The HTML part has a language and a title and loads nothing from elsewhere."""
    page = body(parse(thankyou.render(letter, "email")), "html")
    assert page.startswith("<!DOCTYPE html>\n<html lang=")
    assert "<title>Thank you — Senior Data Engineer interview</title>" in page
    assert not re.search(r"(src|href)\s*=|url\(|@import|<link|<script", page, re.IGNORECASE)


def test_html_escapes_every_value(letter):
    """Markup in names, subject or paragraphs is shown, never run; \\n becomes <br>."""
    hostile = with_recipient(letter, name="<script>alert(1)</script> & Co")
    hostile = replace(
        hostile,
        subject='AT&T <b>"quoted"</b>',
        salutation="Dear <script>alert(1)</script> & Co,",
        paragraphs=("Fish & chips <img src=x onerror=alert(1)>\nsecond line",),
    )
    message = parse(thankyou.render(hostile, "email"))
    page = body(message, "html")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "<title>AT&amp;T &lt;b&gt;&quot;quoted&quot;&lt;/b&gt;</title>" in page
    assert "Dear &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co," in page
    assert "Fish &amp; chips &lt;img src=x onerror=alert(1)&gt;<br>\nsecond line" in page
    # The text part is not HTML: it shows the characters as they are.
    assert "Fish & chips <img src=x onerror=alert(1)>\nsecond line" in body(message, "plain")
    assert message["To"].addresses[0].display_name == "<script>alert(1)</script> & Co"


def test_comma_in_a_name_is_one_recipient(letter):
    """'Smith, John' is one display name, not two recipients (RFC 5322 quoting)."""
    message = parse(thankyou.render(with_recipient(letter, name="Smith, John"), "email"))
    (address,) = message["To"].addresses
    assert address.display_name == "Smith, John"
    assert address.addr_spec == "priya.raman@acme.example"


@pytest.mark.parametrize(
    "name",
    [
        'O\'Neill "Tom" (Sales); <boss>@acme',
        "Ramán, Priya",
        "Nguyễn Thị Minh Khai",
        "Александра Владимировна Константинопольская",  # long: several encoded words
        "محمد بن سلمان",
        "山田 太郎",
        "Zoë 🎉 Émile",
        "x" * 200,
    ],
)
def test_names_read_back_exactly(letter, name):
    """Specials, accents, RTL, CJK, emoji and long names all decode to the same name."""
    message = parse(thankyou.render(with_recipient(letter, name=name), "email"))
    assert list(message.keys()) == HEADERS
    (address,) = message["To"].addresses
    assert address.addr_spec == "priya.raman@acme.example"
    # gh-128110: Python 3.11's parser adds spaces between adjacent encoded words
    # in a display name, so the name is also decoded as RFC 2047 §6.2 says.
    assert name in (address.display_name, rfc2047_display_name(message, "To"))


def rfc2047_display_name(message: EmailMessage, header: str) -> str:
    raw = dict(message.raw_items())[header].replace("\r\n", "")
    ((phrase, _),) = getaddresses([raw])
    return str(make_header(decode_header(phrase)))


def test_long_non_ascii_name_is_split_into_encoded_words_and_still_accepted(letter):
    """The gh-128110 workaround: a name needing several encoded words is not refused."""
    name = "Александра Владимировна Константинопольская"
    data = thankyou.render(with_recipient(letter, name=name), "email")
    to_line = data.split(b"\r\nTo: ", 1)[1].split(b"\r\nSubject:", 1)[0]
    assert to_line.count(b"=?utf-8?") >= 2
    message = parse(data)
    assert rfc2047_display_name(message, "To") == name


HOSTILE = [
    "Hi\r\nBcc: evil@example.com",
    "Hi\nBcc: evil@example.com",
    "Hi\rBcc: evil@example.com",
    "Hi\r\n\r\n<html>body</html>",
    "Hi\u2028Bcc: evil@example.com",
    "Hi\x85Bcc: evil@example.com",
    "Hi\x0bBcc: evil@example.com",
    "Hi\n",
    "=?UTF-8?Q?=0A?=Bcc: evil@example.com",
    "Hi =?UTF-8?Q?=0D=0A?=Bcc: evil@example.com",
    "x" * 70 + " =?UTF-8?Q?=0ABcc:=20evil@example.com?=",
    "=?utf-8?b?QmNjOiBldmlsQGV4YW1wbGUuY29tCg==?=",
    "=?utf-8?q?caf=C3=A9?=",  # harmless, but it would not read back as typed
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["subject", "recipient", "sender"])
def test_hostile_header_text_is_refused(letter, field, value):
    """CR/LF, Unicode line breaks and RFC 2047 encoded words never add a header (CVE-2024-6923)."""
    if field == "subject":
        letter = replace(letter, subject=value)
    elif field == "recipient":
        letter = with_recipient(letter, name=value)
    else:
        letter = with_sender(letter, name=value)
    with pytest.raises(RenderError) as caught:
        thankyou.render(letter, "email")
    named = {"subject": "subject", "recipient": "recipient's name", "sender": "candidate's name"}
    assert named[field] in str(caught.value)
    assert caught.value.format == "email"


def test_space_at_the_end_of_a_name_is_refused_with_a_reason(letter):
    """Folding drops a trailing space (RFC 5322 §3.2.2), so the error says to remove it."""
    with pytest.raises(RenderError, match="ends with a space"):
        thankyou.render(with_recipient(letter, name="Priya Raman "), "email")


def test_refusal_explains_the_encoded_word(letter):
    """The error says what to change, not just that something failed."""
    with pytest.raises(RenderError, match=r"encoded word .* remove it"):
        thankyou.render(replace(letter, subject="Hi =?UTF-8?Q?=0A?=Bcc: e@x.com"), "email")


def test_the_reparse_check_is_what_stops_the_injection(letter, monkeypatch):
    """Without the check, this Python writes a real Bcc header: the check must stay."""
    monkeypatch.setattr(eml, "_verify", lambda *args: None)
    hostile = replace(letter, subject="Hi =?UTF-8?Q?=0D=0A?=Bcc: evil@example.com")
    data = eml.render(hostile, letter.style)
    if "Bcc" not in parse(data):
        pytest.skip("this Python has the CVE-2024-6923 fix")
    assert parse(data)["Bcc"] is not None


@given(
    subject=st.text(min_size=1, max_size=120),
    name=st.text(min_size=1, max_size=80),
)
# make_letter is a pure factory, so sharing it between examples is safe.
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_reads_back_or_is_refused(make_letter, subject, name):
    """Whatever the text, the result has exactly our headers with the exact values, or an error."""
    letter = make_letter(delivery=Delivery.email, subject=subject)
    letter = with_recipient(letter, name=name)
    try:
        data = thankyou.render(letter, "email")
    except RenderError:
        return
    message = parse(data)
    assert list(message.keys()) == HEADERS
    assert str(message["Subject"]) == subject
    (address,) = message["To"].addresses
    assert name in (address.display_name, rfc2047_display_name(message, "To"))
    assert max(map(len, data.split(b"\r\n"))) <= 998


def test_idn_domains_are_punycode_in_headers_and_unicode_for_people(letter):
    """Headers carry xn-- domains (RFC 5890); the signature shows the address as typed."""
    sender = Candidate(name="Alex Morgan", email="alex@bücher.example", phone=None)
    letter = with_recipient(replace(letter, sender=sender), email="priya@münchen.example")
    data = thankyou.render(letter, "email")
    message = parse(data)
    assert message["From"].addresses[0].addr_spec == "alex@xn--bcher-kva.example"
    assert message["To"].addresses[0].addr_spec == "priya@xn--mnchen-3ya.example"
    assert str(message["Message-ID"]).endswith("@xn--bcher-kva.example>")
    assert data.split(b"\r\n\r\n")[0].isascii()
    assert body(message, "plain").endswith("Alex Morgan\nalex@bücher.example\n")
    assert "alex@bücher.example</p>" in body(message, "html")


def test_message_id_uses_the_senders_domain(letter, monkeypatch):
    """make_msgid gets the domain, so it never looks up the host name (a DNS query)."""
    import socket

    monkeypatch.setattr(socket, "getfqdn", lambda *a: pytest.fail("DNS lookup"))
    message = parse(thankyou.render(letter, "email"))
    assert re.fullmatch(r"<[^@<>]+@example\.com>", str(message["Message-ID"]))


def test_non_ascii_local_part_needs_smtputf8(letter):
    """An address like zoë@… is refused unless the caller opts in to SMTPUTF8 (RFC 6531)."""
    letter = with_recipient(letter, email="zoë@example.com")
    with pytest.raises(RenderError, match="SMTPUTF8") as caught:
        thankyou.render(letter, "email")
    assert caught.value.recipient == "Priya Raman"
    data = thankyou.render(letter, "email", smtputf8=True)
    head = data.split(b"\r\n\r\n")[0].decode("utf-8")
    assert "To: Priya Raman <zoë@example.com>" in head
    message = BytesParser(policy=policy.SMTPUTF8).parsebytes(data)
    assert list(message.keys()) == HEADERS


def test_to_message_honours_smtputf8(letter):
    """to_message(smtputf8=True) gives a message whose policy keeps UTF-8 headers."""
    letter = with_sender(letter, email="zoë@example.com")
    with pytest.raises(RenderError, match="SMTPUTF8"):
        thankyou.to_message(letter)
    message = thankyou.to_message(letter, smtputf8=True)
    assert message.policy.utf8
    assert "zoë@example.com" in message.as_bytes().decode("utf-8")


def test_recipient_without_email_is_named(letter):
    """A letter for someone with no address cannot be an email; the error says who."""
    letter = with_recipient(letter, name="Tomás O'Neill", email=None)
    with pytest.raises(RenderError, match="Tomás O'Neill has no email address") as caught:
        thankyou.render(letter, "email")
    assert caught.value.recipient == "Tomás O'Neill"


def test_lines_are_folded_and_never_over_998(letter):
    """Long values fold at 78 where they can (RFC 5322 §2.1.1); no line exceeds 998."""
    long_subject = " ".join(["Thank you for the conversation about streaming pipelines"] * 3)
    letter = replace(
        letter,
        subject=long_subject[:200],
        paragraphs=("word " * 3000, "x" * 5000, "中文 " * 2000),
    )
    letter = with_recipient(letter, name="Priya " * 32 + "Raman")
    data = thankyou.render(letter, "email")
    lines = data.split(b"\r\n")
    assert max(map(len, lines)) <= 78
    assert b"\n" not in data.replace(b"\r\n", b"")
    message = parse(data)
    assert str(message["Subject"]) == long_subject[:200]
    assert body(message, "plain").startswith(letter.body)


def test_an_unbreakable_address_still_stays_under_998(letter):
    """A 254-character address cannot be folded, but the line stays legal."""
    address = "a" * 64 + "@" + ".".join(["b" * 59] * 3) + ".example"  # 254: the RFC 5321 limit
    data = thankyou.render(with_recipient(letter, email=address), "email")
    assert max(map(len, data.split(b"\r\n"))) <= 998
    assert parse(data)["To"].addresses[0].addr_spec == address


def test_date_is_noon_on_the_letter_date_unless_today(letter):
    """A letter dated another day gets noon local time; today's letter gets now; date= wins."""
    past = parse(thankyou.render(replace(letter, date=dt.date(2026, 1, 5)), "email"))
    when = past["Date"].datetime
    assert (when.date(), when.hour, when.minute) == (dt.date(2026, 1, 5), 12, 0)
    now = dt.datetime.now().astimezone()
    today = parse(thankyou.render(replace(letter, date=now.date()), "email"))
    assert abs(today["Date"].datetime - now) < dt.timedelta(minutes=1)
    fixed = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    message = thankyou.to_message(letter, date=fixed)
    assert str(message["Date"]) == "Wed, 25 Nov 2026 08:30:00 -0600"


def test_to_message_is_the_checked_message(letter):
    """to_message returns an EmailMessage that serialises to the same, valid bytes every time."""
    message = thankyou.to_message(letter)
    assert isinstance(message, EmailMessage)
    first = message.as_bytes()
    assert message.as_bytes() == first
    assert list(parse(first).keys()) == HEADERS
    assert message["To"].addresses[0].display_name == "Priya Raman"
    assert message.get_body(("plain",)).get_content().startswith("Dear Dr. Raman,")


def test_style_font_reaches_the_html(letter):
    """The facts file's font choice is the one style setting an email can honour."""
    sans = letter.style.model_copy(update={"font": "sans"})
    page = body(parse(thankyou.render(letter, "email", style=sans)), "html")
    assert "font-family: Arial" in page


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Short ASCII lines.\nAnother.\n", "7bit"),
        ("A long ASCII paragraph " * 10 + "\n", "quoted-printable"),
        ("Grüße aus München\n", "quoted-printable"),
        ("山田太郎様、先日はありがとうございました。\n" * 5, "base64"),
        ("NUL\x00 is not 7bit\n", "quoted-printable"),
    ],
)
def test_transfer_encoding_is_7bit_safe(letter, text, encoding):
    """Bodies are 7bit, quoted-printable or base64 (RFC 2045), never raw 8-bit; they decode."""
    letter = replace(letter, salutation="Hi,", paragraphs=(text.rstrip("\n"),), closing="Bye,")
    data = thankyou.render(letter, "email")
    assert data.isascii()
    plain = parse(data).get_body(("plain",))
    assert plain["Content-Transfer-Encoding"] == encoding
    assert text.rstrip("\n") in plain.get_content().replace("\r\n", "\n")


def test_render_and_to_message_agree(letter):
    """The registry's email renderer and to_message produce the same message shape."""
    a = parse(thankyou.render(letter, "email"))
    b = parse(thankyou.to_message(letter).as_bytes())
    for name in ("From", "To", "Subject", "X-Unsent"):
        assert str(a[name]) == str(b[name])
    assert body(a, "plain") == body(b, "plain")
