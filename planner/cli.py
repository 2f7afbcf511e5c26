"""python -m planner migrate | load-demo | serve | create-admin | send-mail | run-jobs"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from planner.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="run the database migrations forward")
    commands.add_parser("load-demo", help="load the fictional demo CPAS (once; running it again changes nothing)")
    serve = commands.add_parser("serve", help="serve the app with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    admin = commands.add_parser("create-admin", help="create a CPAS and its first administrator")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True, help="the administrator's full name")
    admin.add_argument("--cpas", required=True, help="the CPAS's name")
    admin.add_argument("--region", required=True, choices=["flanders", "wallonia", "brussels", "german"])
    send = commands.add_parser("send-mail", help="send the mails due in the outbox once (or --forever)")
    send.add_argument("--forever", action="store_true", help="keep sending, like the app's background worker")
    commands.add_parser("run-jobs", help="run the long exports waiting in the database once (the app's workers do it too)")
    args = parser.parse_args(argv)

    if args.command == "migrate":
        print(asyncio.run(_migrate()))
    elif args.command == "load-demo":
        from fixtures.demo import load_demo

        print(asyncio.run(load_demo()))
    elif args.command == "serve":
        import uvicorn

        Settings.from_env()  # creates the shared secret file once, before the workers race for it
        uvicorn.run("planner.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                    proxy_headers=True, log_level="info", access_log=Settings.from_env().access_log)
    elif args.command == "create-admin":
        password = getpass.getpass("Password (10 characters or more): ")
        if len(password) < 10:
            print("The password must have at least 10 characters.", file=sys.stderr)
            return 1
        asyncio.run(_create_admin(args.email, args.name, args.cpas, args.region, password))
        print("created")
    elif args.command == "send-mail":
        return asyncio.run(_send_mail(args.forever))
    elif args.command == "run-jobs":
        from planner.report.worker import run_due

        print(f"{asyncio.run(run_due())} run")
    return 0


async def _send_mail(forever: bool) -> int:
    import logging
    import signal

    from functools import partial

    from planner.invites import actions as invites
    from planner.invites.worker import SmtpConfig, run, send_all_due

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    config = SmtpConfig.from_settings(settings)
    if not config.host:
        print("No SMTP host (PLANNER_SMTP_HOST): the mails stay in the outbox.", file=sys.stderr)
        return 1
    if not forever:
        print(f"{await send_all_due(config)} sent")
        return 0
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await run(config, stop, interval=settings.mail_worker_interval,
              tick=partial(invites.queue_reminders, settings=settings))
    return 0


async def _migrate() -> str:
    from planner.invites import actions as invites
    from planner.migrations import migrate
    from planner.piis.actions.instruments import sync_builtin_instruments

    line = await migrate()
    # Each deployment migrates: a new version may word or build feeds differently, so stored ones go.
    await invites.forget_all_feeds()
    # The built-in progress instruments are data files: each deployment writes what they say now.
    await sync_builtin_instruments()
    return line


async def _create_admin(email: str, name: str, cpas: str, region: str, password: str) -> None:
    from planner.auth import actions as auth
    from planner.auth.rules import Role
    from planner.db import write_transaction
    from planner.orgs import actions as orgs

    language = {"flanders": "nl", "german": "de"}.get(region, "fr")
    async with write_transaction():  # the CPAS never exists without its administrator
        org = await orgs.open_cpas(cpas, region, language)
        await auth.create_user(email, name, language, org, Role.ADMINISTRATOR, password=password)
