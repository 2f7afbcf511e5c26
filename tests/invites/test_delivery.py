import datetime as dt
import itertools

import pytest

from planner.invites.delivery import (
    MAX_ATTEMPTS,
    classify,
    gives_up,
    retry_delay,
    total_wait,
)


def test_delays_grow_with_each_failure_and_are_capped_at_six_hours():
    delays = [retry_delay(n, 60) for n in range(1, MAX_ATTEMPTS + 5)]
    assert delays[:4] == [dt.timedelta(minutes=1), dt.timedelta(minutes=2), dt.timedelta(minutes=5),
                          dt.timedelta(minutes=15)]
    assert all(a <= b for a, b in itertools.pairwise(delays))
    assert max(delays) == dt.timedelta(hours=6) == delays[-1]


def test_the_delay_scales_with_the_base_and_the_cap_is_360_bases():
    assert retry_delay(1, 0.05) == dt.timedelta(seconds=0.05)
    assert retry_delay(1000, 10) == dt.timedelta(seconds=3600)
    assert retry_delay(0, 60) == retry_delay(1, 60)  # never a zero wait


def test_a_mail_is_retried_for_about_three_days_then_given_up():
    assert dt.timedelta(days=2.5) <= total_wait(60) <= dt.timedelta(days=3.5)
    assert not gives_up(MAX_ATTEMPTS - 1)
    assert gives_up(MAX_ATTEMPTS)


@pytest.mark.parametrize(("code", "outcome"), [
    (550, "refused"), (551, "refused"), (553, "refused"), (554, "refused"), (500, "refused"),
    (421, "retry"), (450, "retry"), (451, "retry"), (452, "retry"), (None, "retry"),
])
def test_classify_permanent_and_transient_replies(code, outcome):
    assert classify(code) == outcome
