"""Last file of the run (by name): every route's happy path was taken by some test, with the answer a user
sees checked there (issue 12 §2: a handler whose success path no test ran answered 500 to every user)."""

import pytest

from tests.conftest import TAKEN, WHOLE_RUN
from tests.test_route_table import ROUTES

# Answers that are not a success by design for any caller a test can be.
NO_HAPPY_PATH = {
    ("HEAD", "/static/{file_path:path}"),  # Litestar's own static files; GET is taken
}


def test_every_route_answers_its_happy_path_in_some_test():
    if not WHOLE_RUN[0]:
        pytest.skip("only a run of every test knows which routes no test takes")
    missing = sorted({(m, p) for m, p, _h in ROUTES} - TAKEN - NO_HAPPY_PATH)
    assert missing == [], "no test takes these routes through to a success: " + repr(missing)
