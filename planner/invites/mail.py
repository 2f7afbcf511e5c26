"""Mails to participants and facilitators, in the reader's language: plain text, HTML and the invitation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from planner import i18n
from planner.invites.ics import one_line
from planner.invites.rules import Slot
from planner.settings import ROOT
from planner.i18n import N_


KINDS = ("invite", "update", "cancel", "reminder")
SUBJECTS = {
    "invite": N_("Invitation: %(title)s"),
    "update": N_("Change of schedule: %(title)s"),
    "cancel": N_("Cancelled: %(title)s"),
    "reminder": N_("Reminder: %(title)s"),
}
METHODS = {"invite": "REQUEST", "update": "REQUEST", "cancel": "CANCEL"}


@dataclass(frozen=True)
class Letter:
    """Everything one mail says; `sessions` are the reader's coming sessions (cancelled ones too)."""

    kind: str
    language: str
    to_name: str
    to_email: str
    first_name: str
    title: str
    cpas_name: str
    cpas_phone: str
    cpas_email: str
    place: str
    facilitators: str  # first names
    bring: str
    sessions: tuple[Slot, ...] = ()
    cant_come_url: str = ""
    feed_url: str = ""
    ics: bytes = b""
    facilitator: bool = False  # leads the module rather than takes part
    method: str = ""  # the iTIP method of `ics` when it is not the kind's (METHODS)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(ROOT / "templates" / "mail"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),  # .txt stays plain
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_callables(i18n.template_gettext, i18n.template_ngettext, newstyle=True)
    env.filters.update(format_date=i18n.format_date, format_weekday=i18n.format_weekday, format_time=i18n.format_time)
    return env


def render(letter: Letter) -> tuple[str, str, str]:
    """(subject, plain text, HTML) in the letter's language."""
    with i18n.speaking(letter.language):
        env = _environment()
        context = {"letter": letter, "language": letter.language}
        # one line: the email package refuses a line break in a header, and the change that queued the mail
        # failed with it (a title pasted with one, an import)
        subject = one_line(i18n.gettext(SUBJECTS[letter.kind], title=letter.title))
        text = env.get_template(f"{letter.kind}.txt").render(context)
        html = env.get_template(f"{letter.kind}.html").render(context)
    return subject, text, html


def _address(name: str, email: str) -> str:
    """A header address whose name may hold any character: a quoted string, which the message's policy encodes
    whole when it is not ASCII. formataddr() made an encoded word of a non-ASCII name that the policy decoded and
    wrote back without quotes ("Zoé D'Hondt, Van" became two addresses, "Der:Berg" a group); an Address object
    refuses an address the worker can still send (a non-ASCII local part, over SMTPUTF8)."""
    name, email = one_line(name), one_line(email)  # no line break: see render()
    if not name:
        return email
    return '"{}" <{}>'.format(name.replace("\\", "\\\\").replace('"', '\\"'), email)


def message(letter: Letter, message_id: str, sender: str, now: dt.datetime) -> tuple[str, str]:
    """(subject, the whole RFC 5322 message). The invitation is both an alternative part (what
    Outlook and Gmail turn into the Accept/Add buttons) and an attached .ics (for the others).
    `sender` is also the invitation's ORGANIZER (calendar.event): clients apply updates only from the
    organizer; the CPAS's own address is the Reply-To."""
    subject, text, html = render(letter)
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = _address(letter.cpas_name, sender)
    if letter.cpas_email:
        msg["Reply-To"] = _address(letter.cpas_name, letter.cpas_email)
    msg["To"] = _address(letter.to_name, letter.to_email)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if letter.ics:
        method = letter.method or METHODS[letter.kind]
        # as bytes, base64: a str part is re-wrapped with bare LF whenever it is not plain ASCII (RFC 5545
        # wants CRLF); set_content adds no charset for bytes, so it is given once here
        msg.add_alternative(letter.ics, maintype="text", subtype="calendar",
                            params={"method": method, "charset": "utf-8"})
        filename = "cancel.ics" if method == "CANCEL" else "invite.ics"
        # name= as well as the disposition's filename: older Outlook and Apple Mail name the file from it
        msg.add_attachment(letter.ics, maintype="application", subtype="ics", filename=filename,
                           params={"name": filename})
    # last: building the multipart moves every Content-* header of the top part into the first subpart
    msg["Content-Language"] = letter.language
    return subject, msg.as_string()
