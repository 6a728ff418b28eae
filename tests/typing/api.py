"""The public API as users call it, checked by mypy --strict (never run).

A signature change that breaks a caller's code fails `mypy` in CI before it reaches anyone.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, assert_type

import thankyou


def tour() -> None:
    interview = thankyou.load("examples/panel-interview.toml")
    assert_type(interview, thankyou.Interview)
    assert_type(thankyou.Interview.model_validate({}), thankyou.Interview)

    letters = thankyou.compose(interview, today=dt.date(2026, 11, 25))
    assert_type(letters, list[thankyou.Letter])
    briefings = thankyou.compose(interview, "references/briefing", template_dirs=["mine/"])
    assert_type(briefings, list[thankyou.Letter])

    letter = letters[0]
    assert_type(letter.text, str)
    assert_type(letter.paragraphs, tuple[str, ...])
    assert_type(letter.recipient, thankyou.Recipient)
    assert_type(letter.delivery, thankyou.Delivery)

    assert_type(thankyou.render(letter, "pdf"), bytes)
    assert_type(thankyou.render(letter, "text", style=thankyou.Style(paper="a4")), bytes)
    assert_type(thankyou.to_message(letter), EmailMessage)

    report = thankyou.write(letters, "out/", formats="auto", overwrite=False, jobs=2)
    assert_type(report, thankyou.WriteReport)

    findings = thankyou.check(interview)
    assert_type(findings, list[thankyou.Finding])
    assert_type(thankyou.check(interview, letters=letters), list[thankyou.Finding])
    assert_type(report.items[0].format, Literal["text", "email", "pdf", "docx", "envelope"])

    style = thankyou.Style(signature_image=Path("sig.png"))  # the image; facts say signature
    assert_type(style.signature_image, Path | None)
    assert_type(thankyou.Style.model_validate({"signature": "sig.png"}), thankyou.Style)

    plan = thankyou.plan(interview, now=dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))
    assert_type(plan, thankyou.Plan)
    assert_type(plan.to_ics(), bytes)


def drafts(letters: list[thankyou.Letter]) -> None:
    account = thankyou.MailAccount(
        "imap.gmail.com", user="you@gmail.com", auth=thankyou.OAuth2Token("token", "XOAUTH2")
    )
    report = thankyou.save_drafts(letters, account, log_path="drafts.jsonl", dry_run=False)
    assert_type(report, thankyou.DraftReport)
    assert_type(report.entries, list[thankyou.DraftEntry])
    assert_type(report.folder, str | None)
    with_password = thankyou.MailAccount(
        "imap.example.com", 143, "me", "starttls", thankyou.Password("secret")
    )
    assert_type(with_password.auth, thankyou.Password | thankyou.OAuth2Token | None)


def errors() -> None:
    try:
        thankyou.load("interview.toml")
    except thankyou.FactsError as err:
        assert_type(err.field, str)
        assert_type(err.source, str | None)
    except thankyou.ThankYouError as err:
        assert_type(str(err), str)
