"""The PIIS area's tables (issue 15, domain.md §2, §5.5). Narrative text (needs, goals, the person's words) is
sensitive personal data: read only through planner/piis/access.py, every opening written to AccessLog.

Lists stored as JSON text are small, read whole with their row, and never searched (domains of a bilan,
scores of a measurement, an instrument's levels)."""

from piccolo.columns import Boolean, Bytea, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from planner.auth.tables import User
from planner.enrolment.tables import Enrolment
from planner.orgs.tables import Organisation
from planner.people.tables import Beneficiary

STATUSES = ("draft", "proposed", "signed", "ended")  # a PIIS's life; "ended" keeps its outcome


class PiisFile(Table, tablename="piis_file"):
    """What the PIIS rules need to know about a person (PIIS-01..05, PIIS-10): the RI decision it belongs to,
    the last RI before it, an exemption with its reason. One row per person, kept by their CPAS."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade, unique=True)
    social_worker = ForeignKey(User, null=True, on_delete=OnDelete.set_null, index=True)
    ri_granted_on = Date(null=True, default=None)  # the decision (or notification) granting the RI
    previous_ri_ended_on = Date(null=True, default=None)  # PIIS-01: RI in the 3 months before → not "new"
    part_time_top_up = Boolean(default=False)  # PIIS-04
    exemption = Varchar(length=8)  # PIIS-03: "" | health | equity
    exemption_note = Text()
    version = Integer(default=1)
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()


class PiisPolicy(Table, tablename="piis_policy"):
    """A CPAS's own evaluation cadence (PIIS-31): yearly (the law's minimum) or quarterly."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, unique=True)
    cadence = Varchar(length=10, default="yearly")


class BilanSocial(Table, tablename="bilan_social"):
    """PIIS-11, PIIS-13: a full assessment, dated and signed by its author, before the contract."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade, index=True)
    day = Date()
    author = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    domains = Text()  # JSON [{"code": "werk_opleiding", "note": "..."}]: the domains assessed (ZRM's 13 by default)
    needs = Text()
    obstacles = Text()
    strengths = Text()
    own_goals = Text()  # the person's goals, in their words
    investigation_reference = Varchar(length=100)  # the social investigation it builds on
    version = Integer(default=1)
    created_at = Timestamptz()


class Piis(Table):
    """One PIIS (PIIS-20..25) from draft to end. Its content's history is in PiisVersion (PIIS-32)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade, index=True)
    social_worker = ForeignKey(User, null=True, on_delete=OnDelete.set_null, index=True)
    status = Varchar(length=10, default="draft")  # one of STATUSES
    type_code = Integer(default=11)  # §2.5
    orientation = Varchar(length=20)  # rules.ORIENTATIONS
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    evaluation_method = Text()  # how it will be evaluated (PIIS-21)
    assisted_by = Varchar(length=200)  # PIIS-25: "" when the person came alone
    bilan = ForeignKey(BilanSocial, null=True, on_delete=OnDelete.set_null)
    reactualised_after_job_months = Integer(null=True, default=None)  # PIIS-12
    proposed_on = Date(null=True, default=None)
    signed_on = Date(null=True, default=None)
    reflection_waived = Boolean(default=False)  # PIIS-25: the person said they need no 5 days
    subsidy_status = Varchar(length=14, default="none")  # rules.SUBSIDY_STATUSES (SUB-PIIS-02)
    subsidy_months = Integer(default=0)
    subsidy_motivation = Text()  # PIIS-33
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PiisObjective(Table, tablename="piis_objective"):
    """An objective with what each party commits to (PIIS-21, PIIS-24)."""

    piis = ForeignKey(Piis, on_delete=OnDelete.cascade, index=True)
    position = Integer()
    title = Text()
    person_steps = Text()
    cpas_steps = Text()
    third_party = Varchar(length=200)
    third_party_steps = Text()


class PiisCommitment(Table, tablename="piis_commitment"):
    """A module or volunteering the person is enrolled in, written into the PIIS by picking the enrolment:
    the PIIS follows the register (its evidence at evaluations)."""

    piis = ForeignKey(Piis, on_delete=OnDelete.cascade, index=True)
    objective = ForeignKey(PiisObjective, null=True, on_delete=OnDelete.set_null)
    enrolment = ForeignKey(Enrolment, on_delete=OnDelete.cascade, index=True)


class PiisVersion(Table, tablename="piis_version"):
    """PIIS-32: the content as agreed at each signature or amendment, for the history ("what changed")."""

    piis = ForeignKey(Piis, on_delete=OnDelete.cascade, index=True)
    number = Integer()
    content = Text()  # JSON of the PIIS and its objectives and commitments at that version
    reason = Text()  # why it was amended, as agreed
    agreed_on = Date()
    changed_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    changed_at = Timestamptz()


class Evaluation(Table):
    """A planned evaluation appointment (numbered, PIIS-30) and, once held, what was said (PIIS-34)."""

    piis = ForeignKey(Piis, on_delete=OnDelete.cascade, index=True)
    number = Integer()
    planned_on = Date(index=True)
    kind = Varchar(length=10, default="interview")  # rules.KINDS
    held_on = Date(null=True, default=None)
    done = Text()  # what was done
    agreements = Text()  # new agreements
    person_words = Text()  # the person's own words
    objectives = Text()  # JSON {objective id: "reached" | "on_track" | "not_yet" | "dropped"}
    heard_before_sanction = Boolean(default=False)  # PIIS-42: recorded, never decided here
    sequence = Integer(default=0)  # the calendar event's SEQUENCE: one up each time the appointment moves
    author = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    version = Integer(default=1)
    updated_at = Timestamptz(null=True, default=None)


class SignedScan(Table, tablename="piis_signed_scan"):
    """The signed contract (or amendment) as scanned, in the database like invoices."""

    piis = ForeignKey(Piis, on_delete=OnDelete.cascade, index=True)
    version_number = Integer()
    file_name = Varchar(length=255)
    media_type = Varchar(length=40)
    size = Integer()
    content = Bytea()
    uploaded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    uploaded_at = Timestamptz()


class AnswerScale(Table, tablename="piis_answer_scale"):
    """An answer scale defined once and picked by several instruments (§5.5), e.g. "1–5 disagree…agree": built
    in (organisation null, from planner/piis/instruments/) or a CPAS's own. Never changed once an instrument
    uses it: a different scale is a new one, so old measurements keep their labels."""

    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.cascade, index=True)
    code = Varchar(length=40)
    names = Text()  # JSON {"fr": ..., "nl": ..., "de": ..., "en": ...} (a CPAS's own: the languages it uses)
    low = Integer()
    high = Integer()
    levels = Text()  # JSON [{"level": 1, "names": {...}}], low..high one apart


class Instrument(Table):
    """A progress instrument (§5.5): built in (organisation null: ladder, ZRM, empowerment) or a CPAS's own."""

    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.cascade, index=True)
    code = Varchar(length=40)
    names = Text()  # JSON {"fr": ..., "nl": ..., "de": ..., "en": ...}
    scale = Varchar(length=8)  # rules.ORDINAL | LIKERT | MATRIX
    low = Integer()
    high = Integer()
    domains = Text()  # JSON [{"code": ..., "names": {...}}], [] for a single scale
    levels = Text()  # JSON [{"level": 1, "names": {...}}]: the answer scale, reusable
    progress_rule = Varchar(length=12, default="sum")  # rules.SUM | ANY_DOMAIN
    version = Integer(default=1)
    answer_scale = ForeignKey(AnswerScale, null=True, on_delete=OnDelete.restrict)  # its levels (low, high copied)


class Measurement(Table):
    """One measurement of a person with an instrument (§5.5), at start, interim, end or 31 December."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade, index=True)
    instrument = ForeignKey(Instrument, on_delete=OnDelete.restrict)
    measured_on = Date()
    context = Varchar(length=8)  # rules.CONTEXTS
    scores = Text()  # JSON {domain code or "": level}
    piis = ForeignKey(Piis, null=True, on_delete=OnDelete.set_null)
    measured_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class Outcome(Table):
    """How a trajectory ended (§4.3's four counts): non-exclusive flags and a primary category, or none."""

    piis = ForeignKey(Piis, on_delete=OnDelete.cascade, unique=True)
    ended_on = Date()
    flags = Varchar(length=60)  # comma-separated rules.OUTCOMES
    primary = Varchar(length=14)  # one of rules.OUTCOMES or "none"
    recorded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)


class AccessLog(Table, tablename="piis_access_log"):
    """Who opened which PIIS or bilan, when: the CPAS's administrator reads it (issue 15, privacy)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    record_kind = Varchar(length=12)  # piis | bilan | measurement
    record_id = Integer()
    beneficiary = ForeignKey(Beneficiary, null=True, on_delete=OnDelete.set_null)
    opened_at = Timestamptz(index=True)
