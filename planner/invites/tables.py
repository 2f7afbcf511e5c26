from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from planner.auth.tables import User
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module
from planner.orgs.tables import Organisation
from planner.people.tables import Beneficiary
from planner.volunteering.tables import Placement


class OutboxMail(Table):
    """A mail waiting to leave, or that left: written in the same transaction as the change it tells
    about, sent later by the worker. The whole message is stored, so a retry sends the same bytes."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)  # whose coordinators see it
    kind = Varchar(length=16)  # invite | update | cancel | reminder
    beneficiary = ForeignKey(Beneficiary, null=True, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=True, on_delete=OnDelete.cascade)  # a facilitator
    module = ForeignKey(Module, null=True, on_delete=OnDelete.set_null)
    to_address = Varchar(length=254)
    language = Varchar(length=2)
    subject = Varchar(length=300)
    message_id = Varchar(length=200, unique=True)  # stable across retries: receivers drop a duplicate
    message = Text()  # the complete RFC 5322 message
    # One mail per thing that can only happen once (a reminder for one session and person).
    dedupe_key = Varchar(length=200, null=True, default=None, unique=True)
    status = Varchar(length=12, index=True)  # queued | sending | sent | refused | failed
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(index=True)
    claimed_until = Timestamptz(null=True, default=None)  # a worker holds it until then
    last_error = Varchar(length=500)
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)


class CalendarSeries(Table):
    """One invitation series in someone's calendar: a participant's enrolment, or a facilitator's module.
    Its UID never changes (its sessions outside the rule derive theirs from it); SEQUENCE goes up with every
    mail that is sent, for all of them."""

    module = ForeignKey(Module, on_delete=OnDelete.cascade, index=True)
    enrolment = ForeignKey(Enrolment, null=True, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=True, on_delete=OnDelete.cascade, index=True)
    uid = Varchar(length=200, unique=True)
    sequence = Integer(default=0)
    state = Varchar(length=12, default="active")  # active | cancelled
    shape_tag = Varchar(length=64)  # what was last sent: a change that leaves it equal sends nothing
    # "uid=tag ..." of each event last sent: the series and each session outside the rule (rules.part_tags); an
    # event whose tag changes is sent again, one that drops out is cancelled. Empty for a series saved before.
    parts = Text(default="")


class CalendarLink(Table):
    """A secret link without login: a personal calendar feed, or a participant's "can't come" page.
    The token is derived from the app secret and a random salt; only its SHA-256 is stored."""

    kind = Varchar(length=12)  # feed | cant_come | host_hours (a volunteering host records hours)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, null=True, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=True, on_delete=OnDelete.cascade, index=True)
    enrolment = ForeignKey(Enrolment, null=True, on_delete=OnDelete.cascade, index=True)
    placement = ForeignKey(Placement, null=True, on_delete=OnDelete.cascade, index=True)  # host_hours
    salt = Varchar(length=64)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    # Feeds: the tag of what was served last and when it changed (ETag / Last-Modified).
    content_tag = Varchar(length=64)
    content_changed_at = Timestamptz(null=True, default=None)
    # The calendar as served, so a phone's poll is one query. Every change it shows empties it and
    # bumps the generation (actions/feed.py); a body built from older data is then not stored.
    content_body = Text(null=True, default=None)
    content_modules = Text(default="")  # ",3,7,": the modules in the stored body
    content_generation = Integer(default=0)
    # SEQUENCE of the feed's events: one more each time what the feed shows changes (its tag), so a subscribed
    # client replaces an event it already holds (a session moved, cancelled, re-roomed)
    content_sequence = Integer(default=0)
