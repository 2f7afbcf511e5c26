"""Checks on a collective module: funding eligibility (FUND-06) and planning conflicts. Pure rules."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from planner.i18n import N_


MODULE_TYPES = ("language", "communication", "activation_group", "sport", "culture", "digital", "health",
                "volunteering_preparation", "volunteering", "other")  # volunteering: a placement's shifts
STRANDS = ("A", "B")  # Fonds PAS strand: B collective module, A participation outings
COMPOSITIONS = ("mixed", "women", "men")
# the module's main aim; the last three are professional activation (FUND-06: not fundable from social-activation money)
AIMS = ("social_activation", "job_search", "vocational_training", "pre_employment_internship")
PROFESSIONAL_AIMS = frozenset(AIMS[1:])


@dataclass(frozen=True)
class EligibilityWarning:
    code: str  # "professional_aim" | "professional_words"
    message: str  # N_() message id
    detail: str = ""  # e.g. the words found


# Words typical of professional activation, written as normalize() leaves them: lower case, no accents,
# punctuation as single spaces ("recherche d'emploi" -> "recherche d emploi").
# A "*" after a word also matches longer words (compounds, plurals): "bewerbung*" finds "Bewerbungstraining".
# Everything else must be a whole word, so "cv" does not find "CVO" (the Dutch adult-education centre).
# Left out on purpose, too common in social modules: "stage" (a theatre workshop in French), "curriculum"
# alone (a course's curriculum), "solliciter" (to ask for help), "emploi"/"werk"/"job" alone.
PROFESSIONAL_WORDS = (
    # French
    "recherche d emploi", "recherche active d emploi", "recherche de travail", "chercher un emploi",
    "trouver un emploi", "demandeur* d emploi", "mise a l emploi", "remise a l emploi", "entretien* d embauche",
    "formation qualifiante", "formation* professionnelle*", "stage* en entreprise", "pre emploi", "preemploi",
    "insertion professionnelle", "insertion socioprofessionnelle", "reinsertion professionnelle", "sollicitat*",
    "cv", "cvs", "c v", "curriculum vitae", "lettre* de motivation",
    # Dutch
    "werkzoek*", "werk zoeken", "solliciteren", "jobsollicitat*", "beroepsopleiding*", "vakopleiding*",
    "werkervaring*", "werkplekleren", "tewerkstelling*", "jobcoach*", "professionele inschakeling",
    "socioprofessionele inschakeling", "motivatiebrie*",
    # German
    "bewerbung*", "berufsausbildung*", "arbeitssuch*", "arbeitsuch*", "jobsuch*", "stellensuch*", "lebenslauf*",
    "vorstellungsgesprach*", "berufliche eingliederung", "berufliche integration", "betriebspraktik*",
    # English
    "job search*", "jobsearch*", "job hunt*", "job seek*", "job interview*", "job application*", "job coach*",
    "vocational", "pre employment", "preemployment", "internship*", "employability", "work placement*",
    "professional integration", "cover letter*",
)


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    # longest first: alternation takes the first that matches, so "recherche active d emploi" beats shorter ones
    return re.compile(r"(?<!\w)(?:" + "|".join(_regex(w) for w in sorted(words, key=len, reverse=True)) + ")")


def _regex(phrase: str) -> str:
    tokens = [re.escape(t.rstrip("*")) + (r"\w*" if t.endswith("*") else "") for t in phrase.split(" ")]
    return " ".join(tokens) + ("" if phrase.endswith("*") else r"(?!\w)")


_PROFESSIONAL = _pattern(PROFESSIONAL_WORDS)


def normalize(text: str) -> tuple[str, list[int]]:
    """Lower case, accents off, punctuation runs as one space; with each character's index in the original."""
    chars: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(text):
        for d in unicodedata.normalize("NFKD", c).lower():
            if unicodedata.combining(d):
                continue
            d = d if d.isalnum() else " "
            if d == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(d)
            origin.append(i)
    return "".join(chars), origin


def professional_words(text: str) -> list[str]:
    """The professional-activation words in text, as written there, each once, in order of appearance."""
    normal, origin = normalize(text)
    found: dict[str, str] = {}
    for m in _PROFESSIONAL.finditer(normal):
        found.setdefault(m.group(), text[origin[m.start()]:origin[m.end() - 1] + 1])
    return list(found.values())


def eligibility_warnings(aim: str, title: str, objectives: str) -> list[EligibilityWarning]:
    """FUND-06: the social-activation subsidy cannot pay for professional activation. Warnings, not refusals."""
    warnings = []
    if aim in PROFESSIONAL_AIMS:
        warnings.append(EligibilityWarning(
            "professional_aim", N_("This aim is professional activation. The social-activation subsidy cannot fund it."),
            aim))
    words = professional_words(title + "\n" + objectives)
    if words:
        warnings.append(EligibilityWarning(
            "professional_words",
            N_("The title or objectives use words of professional activation. Check that the module's aim is social."),
            ", ".join(words)))
    return warnings


@dataclass(frozen=True)
class Booking:
    session_id: int | None  # None for a session not saved yet
    module_id: int
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    room_id: int | None
    facilitator_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Conflict:
    kind: str  # "room" | "facilitator"
    day: dt.date
    starts_at: dt.time  # of the planned booking
    other: Booking  # the existing booking it collides with
    facilitator_id: int | None = None


def overlaps(a: Booking, b: Booking) -> bool:
    # half-open ranges: a session ending at 12:00 leaves the room free for one starting at 12:00
    return a.day == b.day and a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _same_session(a: Booking, b: Booking) -> bool:
    # re-planning a saved session must not collide with its own old booking
    return a.session_id is not None and a.session_id == b.session_id


def _conflicts_between(planned: Booking, other: Booking) -> list[Conflict]:
    found = []
    if planned.room_id is not None and planned.room_id == other.room_id:
        found.append(Conflict("room", planned.day, planned.starts_at, other))
    for facilitator_id in sorted(planned.facilitator_ids & other.facilitator_ids):
        found.append(Conflict("facilitator", planned.day, planned.starts_at, other, facilitator_id))
    return found


def find_conflicts(planned: Sequence[Booking], existing: Sequence[Booking]) -> list[Conflict]:
    """Room and facilitator double bookings of the planned sessions against the existing ones."""
    by_day: dict[dt.date, list[Booking]] = defaultdict(list)  # a whole year of sessions: compare within a day only
    for booking in existing:
        by_day[booking.day].append(booking)
    conflicts = [conflict
                 for booking in planned
                 for other in by_day.get(booking.day, ())
                 if not _same_session(booking, other) and overlaps(booking, other)
                 for conflict in _conflicts_between(booking, other)]
    return sorted(conflicts, key=lambda c: (c.day, c.starts_at, c.kind, c.other.starts_at, c.other.module_id,
                                            c.facilitator_id or 0))


def room_too_small(room_capacity: int | None, module_capacity: int) -> bool:
    return room_capacity is not None and room_capacity < module_capacity  # unknown capacity: nothing to say
