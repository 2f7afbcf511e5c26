"""`python -m planner create-admin`: how a new CPAS gets its first administrator on a fresh install."""

import os
import sqlite3
import subprocess
import sys

from planner.auth.passwords import verify_password

from tests.conftest import ROOT


def _planner(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PLANNER_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_create_admin_opens_a_cpas_whose_administrator_can_sign_in(tmp_path):
    path = tmp_path / "fresh.sqlite"
    url = f"sqlite:///{path}"
    assert _planner(url, "migrate").returncode == 0
    done = _planner(url, "create-admin", "--email", " Els.Peeters@OCMW-Voorbeeld.be ", "--name", "Els Peeters",
                    "--cpas", "OCMW Voorbeeld", "--region", "flanders", stdin="lang genoeg wachtwoord\n")
    assert done.returncode == 0, done.stderr
    assert "created" in done.stdout
    with sqlite3.connect(path) as db:
        cpas = db.execute("SELECT id, kind, name_nl, region FROM organisation").fetchall()
        account = db.execute("SELECT id, email, language, password_hash FROM account").fetchall()
        roles = db.execute("SELECT \"user\", organisation, role FROM membership").fetchall()
    assert [row[1:] for row in cpas] == [("cpas", "OCMW Voorbeeld", "flanders")]
    assert [row[1:3] for row in account] == [("els.peeters@ocmw-voorbeeld.be", "nl")]
    assert verify_password(account[0][3], "lang genoeg wachtwoord")
    assert roles == [(account[0][0], cpas[0][0], "administrator")]


def test_create_admin_refuses_a_short_password_and_writes_nothing(tmp_path):
    path = tmp_path / "fresh.sqlite"
    url = f"sqlite:///{path}"
    assert _planner(url, "migrate").returncode == 0
    done = _planner(url, "create-admin", "--email", "a@b.be", "--name", "A B", "--cpas", "CPAS de Test",
                    "--region", "wallonia", stdin="court\n")
    assert done.returncode == 1
    assert "at least 10 characters" in done.stderr
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM organisation").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM account").fetchone() == (0,)
