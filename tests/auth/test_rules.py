import datetime as dt

from planner.auth.rules import (
    ACCOUNT_THROTTLE, ADDRESS_THROTTLE, Role, can_grant, email_key, password_problem, seconds_to_wait,
)

NOW = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.timezone.utc)


def failures(n: int, every_seconds: int = 1) -> list[dt.datetime]:
    return [NOW - dt.timedelta(seconds=every_seconds * (n - i)) for i in range(n)]


def test_a_few_mistakes_cost_nothing():
    assert seconds_to_wait(failures(4), NOW, ACCOUNT_THROTTLE) == 0


def test_each_failure_beyond_the_free_ones_doubles_the_wait():
    waits = [seconds_to_wait(failures(n, every_seconds=0), NOW, ACCOUNT_THROTTLE) for n in (5, 6, 7, 8)]
    assert waits == [2, 4, 8, 16]


def test_the_wait_never_exceeds_fifteen_minutes():
    assert seconds_to_wait(failures(60, every_seconds=0), NOW, ACCOUNT_THROTTLE) == 900


def test_old_failures_are_forgotten():
    old = [NOW - dt.timedelta(hours=2)] * 50
    assert seconds_to_wait(old, NOW, ACCOUNT_THROTTLE) == 0


def test_time_already_waited_counts():
    assert seconds_to_wait(failures(8, every_seconds=10), NOW, ACCOUNT_THROTTLE) == 6


def test_a_shared_office_address_gets_more_room_than_one_account():
    assert seconds_to_wait(failures(20, every_seconds=0), NOW, ADDRESS_THROTTLE) == 0
    assert seconds_to_wait(failures(20, every_seconds=0), NOW, ACCOUNT_THROTTLE) > 0


def test_email_key_ignores_case_and_spaces_and_hides_the_address():
    assert email_key(" Ann@CPAS.example ") == email_key("ann@cpas.example")
    assert "ann" not in email_key("ann@cpas.example")


def test_password_rules():
    assert password_problem("short", "short", "a@b.be") == "The password must have at least 10 characters."
    assert password_problem("long enough pw", "long enough pX", "a@b.be") == "The two passwords are not the same."
    assert password_problem("ann@cpas.be", "ann@cpas.be", "Ann@cpas.be") is not None
    assert password_problem("long enough pw", "long enough pw", "a@b.be") is None


def test_partner_organisations_only_grant_the_partner_facilitator_role():
    assert can_grant("partner", Role.PARTNER_FACILITATOR)
    assert not can_grant("partner", Role.COORDINATOR)
    assert not can_grant("cpas", Role.PARTNER_FACILITATOR)
    assert can_grant("cpas", Role.SOCIAL_WORKER)
