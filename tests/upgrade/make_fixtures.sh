#!/usr/bin/env bash
# Remakes the upgrade fixtures (demo.sqlite.gz, demo.sql.gz) from a previous release: its own migrations and
# its own demo loader, run from a worktree of that commit. `make upgrade-fixtures` calls it.
# Usage: tests/upgrade/make_fixtures.sh COMMIT [SERVER]
#   SERVER: a PostgreSQL server URL without database (default postgresql://postgres@127.0.0.1:5432);
#   a database planner_upgrade_fixture is created there and dropped at the end.
#   PREV=/path: an installed checkout of COMMIT to use instead of a new worktree (saves `make install`).
set -euo pipefail
cd "$(dirname "$0")/../.."
COMMIT=${1:?the commit of the previous release}
SERVER=${2:-postgresql://postgres@127.0.0.1:5432}
OUT=$PWD/tests/upgrade
DB=planner_upgrade_fixture
WORK=$(mktemp -d)
trap '[ -n "${PREV:-}" ] || git worktree remove --force "$WORK/prev" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ -n "${PREV:-}" ]; then
  [ "$(git -C "$PREV" rev-parse HEAD)" = "$(git rev-parse "$COMMIT^{commit}")" ] || { echo "$PREV is not at $COMMIT" >&2; exit 1; }
  ln -s "$(realpath "$PREV")" "$WORK/prev"
else
  git worktree add --detach "$WORK/prev" "$COMMIT" >/dev/null
fi
make -C "$WORK/prev" install >/dev/null
PY="$WORK/prev/.venv/bin/python"

# The same demo on both engines, as `make run` on that release left it (dates follow the day it is made).
# Then the rolls of the past sessions, taken with that release's own actions, so marks exist too.
load() {
  export PLANNER_DATABASE_URL=$1 PLANNER_SECRET_FILE="$WORK/secret.key"
  (cd "$WORK/prev" && "$PY" -m planner migrate >/dev/null && "$PY" -m planner load-demo && "$PY" - <<'PY'
import asyncio, datetime as dt

from planner.attendance.actions import close_roll, mark_all, record_tap
from planner.attendance.rules import Tap
from planner.auth.tables import User
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Session


async def take_rolls() -> None:
    taker = (await User.select(User.id).where(User.email == "facilitator@rivebelle.example").first())["id"]
    today, marks, taken = dt.date.today(), 0, {}
    # The last three past sessions of each module: enough to show figures, small enough to commit.
    for session in await Session.select().where(Session.day < today).order_by(Session.day, ascending=False):
        taken[session["module"]] = taken.get(session["module"], 0) + 1
        if taken[session["module"]] > 3:
            continue
        people = [r["beneficiary"] for r in await Enrolment.select(Enrolment.beneficiary).where(
            (Enrolment.module == session["module"]) & (Enrolment.status.is_in(["enrolled", "ended"]))
            & (Enrolment.start_date <= session["day"])).order_by(Enrolment.beneficiary)]
        if len(people) < 2:
            continue
        at = dt.datetime.combine(session["day"], session["starts_at"], dt.timezone.utc)
        key = f"upgrade-fixture-{session['id']}"
        # One excused, then everyone else present but one, then "the rest absent", as on a tablet.
        await record_tap(session["id"], Tap(key + "-excused", people[0], "excused", at, at, reason="illness"),
                         taker, "fixture")
        await mark_all(session["id"], people[2:], "present", "everyone_present", key, taker, "fixture", at, at)
        await mark_all(session["id"], people[1:2], "unexcused", "rest_absent", key + "-rest", taker, "fixture", at, at)
        await close_roll(session["id"], taker, key + "-close", guests=1)
        marks += len(people)
    print(f"rolls taken: {marks} marks in {sum(min(n, 3) for n in taken.values())} sessions")


asyncio.run(take_rolls())
PY
  )
}

load "sqlite:///$WORK/demo.sqlite"
# One self-contained file: the WAL folded in, journal back to a rollback journal, free pages dropped.
"$PY" - "$WORK/demo.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.execute("PRAGMA journal_mode=DELETE")
db.execute("VACUUM")
db.close()
PY
gzip -9nc "$WORK/demo.sqlite" > "$OUT/demo.sqlite.gz"

psql -q "$SERVER/postgres" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
load "$SERVER/$DB"
# INSERTs rather than COPY, no owners or grants, no psql meta-commands (\restrict): the test restores it
# over asyncpg into any database.
pg_dump --no-owner --no-privileges --inserts --rows-per-insert=200 "$SERVER/$DB" \
  | grep -Ev '^\\(un)?restrict [A-Za-z0-9]+$' | gzip -9n > "$OUT/demo.sql.gz"
psql -q "$SERVER/postgres" -c "DROP DATABASE $DB"
git rev-parse "$COMMIT^{commit}" > "$OUT/COMMIT"
ls -l "$OUT/demo.sqlite.gz" "$OUT/demo.sql.gz"
