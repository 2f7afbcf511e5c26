"""The headers of an invitation mail, whatever the names and addresses hold: each address stays one address, no
line break reaches a header, and nothing a person's record may hold stops the mail (nor the change that queues it)."""

import datetime as dt
from email import message_from_string, policy

import pytest

from planner.invites import mail
from planner.invites.worker import envelope_sender

NOW = dt.datetime(2026, 10, 25, 8, tzinfo=dt.timezone.utc)
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def letter(to_name: str, to_email: str, cpas_name: str = "CPAS de Liège, service ISP", title: str = "Atelier CV",
           kind: str = "invite") -> mail.Letter:
    return mail.Letter(kind=kind, language="fr", to_name=to_name, to_email=to_email, first_name="Zoé", title=title,
                       cpas_name=cpas_name, cpas_phone="", cpas_email="isp@liege.example", place="", facilitators="",
                       bring="", ics=ICS)


@pytest.mark.parametrize(("name", "address"), [
    ('Zoé "Zozo" D\'Hondt, Van; Der:Berg', "zoe.q@mail.example"),  # non-ASCII with , ; : and quotes
    ("Ann Peeters", "ann@example.org"),
    ("Back\\slash (tilde) <x>", "bs@example.org"),
    ("Zoé\r\nLine break\x0b", "zoe@example.org"),
    ("Jürgen", "jürgen@exämple.be"),  # sent over SMTPUTF8
    ("", "anonymous@example.org"),
])
def test_issue_ics_every_address_header_is_one_address_as_written(name, address):
    subject, text = mail.message(letter(name, address), "<m@planner.example>", "planner@cpas.example", NOW)
    message = message_from_string(text, policy=policy.default)
    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == (mail.one_line(name), address)
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("CPAS de Liège, service ISP", "planner@cpas.example")
    assert envelope_sender(text) == "planner@cpas.example"
    assert message["Reply-To"].addresses[0].addr_spec == "isp@liege.example"


def test_issue_ics_a_line_break_pasted_into_a_title_stays_out_of_the_subject():
    subject, text = mail.message(letter("Ann", "ann@example.org", title="Atelier\r\nCV\x0b  du lundi"),
                                 "<m@planner.example>", "planner@cpas.example", NOW)
    assert subject == "Invitation\xa0: Atelier CV du lundi"  # the French no-break space kept
    assert message_from_string(text, policy=policy.default)["Subject"] == subject


@pytest.mark.parametrize(("kind", "method", "filename"), [("invite", "REQUEST", "invite.ics"),
                                                          ("update", "REQUEST", "invite.ics"),
                                                          ("cancel", "CANCEL", "cancel.ics")])
def test_issue_ics_the_invitation_is_an_alternative_and_an_attachment_named_for_outlook_and_apple(kind, method,
                                                                                                 filename):
    _subject, text = mail.message(letter("Ann", "ann@example.org", kind=kind), "<m@x>", "planner@cpas.example", NOW)
    message = message_from_string(text, policy=policy.default)
    alternative, attached = message.get_payload()
    plain, html, calendar = alternative.get_payload()
    assert [p.get_content_type() for p in (plain, html, calendar)] == ["text/plain", "text/html", "text/calendar"]
    assert (calendar.get_param("method"), calendar.get_param("charset")) == (method, "utf-8")
    assert calendar.get_payload(decode=True) == attached.get_payload(decode=True) == ICS  # CRLF kept
    assert attached.get_content_disposition() == "attachment"
    assert attached.get_filename() == attached.get_param("name") == filename
