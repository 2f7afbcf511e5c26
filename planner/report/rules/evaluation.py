"""The evaluation form's quantitative questions (domain.md §4.3, REP-07): E1, E2 with E2a–c, E3, E4. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.piis.rules.progress import AUTONOMY, SOCIO_PRO, VOLUNTEERING
from planner.report.rules.inputs import EvaluationFact


@dataclass(frozen=True)
class Evaluation:
    """§4.3 as person ids (what each figure opens): E1 PIIS-framed trajectories with ≥ 1 strand-B attendance,
    E2 those who progressed, E2a–c non-exclusive (E2a + E2b + E2c may exceed E2). E3 the instrument's code;
    E4 the modules, participants and hours of §4.1 (seconds)."""
    e1: tuple[int, ...]
    e2: tuple[int, ...]
    e2a: tuple[int, ...]
    e2b: tuple[int, ...]
    e2c: tuple[int, ...]
    e3: str
    modules: int
    participants: int
    seconds: int


def evaluation(facts: Sequence[EvaluationFact], instrument: str, modules: int, participants: int,
               seconds: int) -> Evaluation:
    """§4.3: E1 counts a person once, with a social or mixed PIIS active in the year and a strand-B attendance;
    E2 only counts E1 people (a progress outside E1 is not the form's)."""
    e1 = sorted({f.person for f in facts if f.piis_social and f.attended_strand_b})
    in_e1 = set(e1)
    done = [f for f in facts if f.person in in_e1 and f.progressed]

    def flagged(flag: str) -> tuple[int, ...]:
        return tuple(sorted({f.person for f in done if flag in f.flags}))
    return Evaluation(tuple(e1), tuple(sorted({f.person for f in done})), flagged(SOCIO_PRO), flagged(AUTONOMY),
                      flagged(VOLUNTEERING), instrument, modules, participants, seconds)
