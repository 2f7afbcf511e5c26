"""Settings from PLANNER_* environment variables; nothing else reads the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret_from_file(path: Path) -> str:
    # make run must work with no configuration, yet every process on a machine must share the
    # secret (CSRF tokens are signed with it), so the first process writes it and others read it.
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{ROOT / 'var' / 'planner.sqlite'}"
    secret: str = ""
    base_url: str = "http://127.0.0.1:8000"
    default_language: str = "fr"
    # Postgres pools belong to one event loop; tests that share tables across loops turn it off.
    db_pool: bool = True
    # argon2 "low memory" profile is for tests only: production keeps the library defaults.
    fast_password_hashing: bool = False
    session_max_age: int = 12 * 3600
    set_password_link_days: int = 7
    # One log line per request costs a tenth of a tap; the load balancer in front usually logs them.
    access_log: bool = False
    # Mail: with no SMTP host, mails stay in the outbox, where an administrator reads them.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_tls: str = "none"  # none | starttls | tls
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = "planner@localhost"
    mail_retry_seconds: float = 60.0  # first wait after a failed send; it grows with each failure
    # The background task that queues reminders and sends the outbox in every app process.
    mail_worker: bool = True
    mail_worker_interval: float = 5.0
    # The background task that runs the long exports (planner/report/worker.py) in every app process.
    job_worker: bool = True
    job_worker_interval: float = 2.0
    # How many days before its session a roll takes taps (0: on the day only; a tap on a later session's
    # roll is refused with its date). PLANNER_ROLL_DAYS_AHEAD.
    roll_days_ahead: int = 0

    @property
    def is_https(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        defaults = cls()
        secret = env.get("PLANNER_SECRET") or _secret_from_file(
            Path(env.get("PLANNER_SECRET_FILE", ROOT / "var" / "secret.key"))
        )
        return cls(
            database_url=env.get("PLANNER_DATABASE_URL", defaults.database_url),
            secret=secret,
            base_url=env.get("PLANNER_BASE_URL", defaults.base_url).rstrip("/"),
            default_language=env.get("PLANNER_DEFAULT_LANGUAGE", defaults.default_language),
            db_pool=env.get("PLANNER_DB_POOL", "1") != "0",
            fast_password_hashing=env.get("PLANNER_FAST_PASSWORD_HASHING", "0") == "1",
            access_log=env.get("PLANNER_ACCESS_LOG", "0") == "1",
            session_max_age=int(env.get("PLANNER_SESSION_MAX_AGE", defaults.session_max_age)),
            smtp_host=env.get("PLANNER_SMTP_HOST", ""),
            smtp_port=int(env.get("PLANNER_SMTP_PORT", defaults.smtp_port)),
            smtp_tls=env.get("PLANNER_SMTP_TLS", defaults.smtp_tls),
            smtp_username=env.get("PLANNER_SMTP_USERNAME", ""),
            smtp_password=env.get("PLANNER_SMTP_PASSWORD", ""),
            mail_from=env.get("PLANNER_MAIL_FROM", defaults.mail_from),
            mail_retry_seconds=float(env.get("PLANNER_MAIL_RETRY_SECONDS", defaults.mail_retry_seconds)),
            mail_worker=env.get("PLANNER_MAIL_WORKER", "1") != "0",
            mail_worker_interval=float(env.get("PLANNER_MAIL_WORKER_INTERVAL", defaults.mail_worker_interval)),
            job_worker=env.get("PLANNER_JOB_WORKER", "1") != "0",
            job_worker_interval=float(env.get("PLANNER_JOB_WORKER_INTERVAL", defaults.job_worker_interval)),
            roll_days_ahead=int(env.get("PLANNER_ROLL_DAYS_AHEAD", defaults.roll_days_ahead)),
        )
