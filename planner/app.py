"""create_app(): routers, sessions in the database, CSRF, templates, error pages, start-up."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, Request, Response, get, head
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import File, Redirect
from litestar.security.session_auth import SessionAuth
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from planner import i18n
from planner.attendance.labels import TEMPLATE_GLOBALS as attendance_template_globals
from planner.attendance.routes import router as attendance_router
from planner.auth import passwords
from planner.auth.access import CurrentUser, retrieve_user
from planner.auth.routes import router as auth_router
from planner.auth.store import DatabaseStore, SessionConfig
from planner.desk.routes import router as desk_router
from planner.db import close_pool, current_engine, engine_label, start_pool
from planner.invites.routes import router as invites_router
from planner.migrations import migration_state
from planner.enrolment.routes import router as enrolment_router
from planner.modules.routes import router as modules_router
from planner.orgs.routes import router as orgs_router
from planner.people.routes import router as people_router
from planner.security import SecurityHeaders, check_request
from planner.settings import Settings
from planner.piis.routes import router as piis_router
from planner.report.labels import TEMPLATE_GLOBALS as report_template_globals
from planner.report.routes import router as report_router
from planner.spending.routes import router as spending_router
from planner.sqlite_engine import DatabaseBusy
from planner.volunteering.routes import router as volunteering_router
from planner.web import (MAX_FORM_BYTES, PlannerRequest, database_busy, error_page, make_environment,
                         not_signed_in, signed_in_user)

STATIC = Path(__file__).parent / "static"
# One dict, made once: the tests share one Jinja2 environment per identical arguments.
TEMPLATE_GLOBALS = {**attendance_template_globals, **report_template_globals}
PUBLIC_PATHS = ["^/static/", "^/login", "^/set-password/", "^/language$", "^/healthz$", "^/sw.js$", "^/favicon.ico$", "^/feed/",
                "^/cant-come/", "^/host/"]


@get("/healthz", exclude_from_auth=True, opt={"public": True}, skip_session=True)
async def healthz() -> dict:
    """For load balancers and monitoring: engine and migrations, never personal data."""
    state = await migration_state()
    return {"status": "ok" if state["pending"] == 0 else "migrations pending",
            "engine": engine_label(current_engine()), "migrations": state}


@head("/healthz", exclude_from_auth=True, opt={"public": True}, skip_session=True, include_in_schema=False)
async def healthz_head() -> Response[None]:
    """Uptime monitors often ask HEAD: 200 when the app and its database answer, 503 while migrations are pending."""
    state = await migration_state()
    return Response(None, status_code=200 if state["pending"] == 0 else 503)


@get("/sw.js", exclude_from_auth=True, opt={"public": True}, skip_session=True, include_in_schema=False)
async def service_worker() -> File:
    # Served from the root so its scope covers /roll/ and /today.
    return File(STATIC / "js" / "sw.js", media_type="text/javascript", content_disposition_type="inline",
                headers={"Cache-Control": "no-cache"})


@get("/favicon.ico", exclude_from_auth=True, opt={"public": True}, skip_session=True, include_in_schema=False)
async def favicon() -> Redirect:
    # Browsers and bookmarks ask for it at the root whatever the pages say; the icon itself is a static file.
    return Redirect("/static/favicon.svg", status_code=301)


async def _before_request(request: Request) -> None:
    check_request(request)
    user = signed_in_user(request)
    i18n.set_language(i18n.negotiate(
        getattr(user, "language", ""), request.cookies.get("lang", ""),
        request.headers.get("accept-language", ""), request.app.state.settings.default_language,
    ))


async def _start_pool(app: Litestar) -> None:
    if app.state.settings.db_pool:
        await start_pool()


async def _start_mail_worker(app: Litestar) -> None:
    """Every app process queues the reminders and sends the outbox; the claims in the database keep two
    processes from sending the same mail."""
    settings = app.state.settings
    if not settings.mail_worker:
        return
    import asyncio
    from functools import partial

    from planner.invites import actions as invites
    from planner.invites.worker import SmtpConfig, run

    app.state.mail_stop = asyncio.Event()
    app.state.mail_task = asyncio.create_task(run(SmtpConfig.from_settings(settings), app.state.mail_stop,
                                                  interval=settings.mail_worker_interval,
                                                  tick=partial(invites.queue_reminders, settings=settings)))


async def _start_job_worker(app: Litestar) -> None:
    """Every app process runs the long exports (report jobs); the claims in the database keep two processes
    from running the same job, and a job whose process died is taken again after its lease."""
    settings = app.state.settings
    if not settings.job_worker:
        return
    import asyncio

    from planner.report.worker import run

    app.state.job_stop = asyncio.Event()
    app.state.job_task = asyncio.create_task(run(app.state.job_stop, interval=settings.job_worker_interval))


async def _stop_job_worker(app: Litestar) -> None:
    if getattr(app.state, "job_task", None) is not None:
        app.state.job_stop.set()
        await app.state.job_task


async def _stop_mail_worker(app: Litestar) -> None:
    if getattr(app.state, "mail_task", None) is not None:
        app.state.mail_stop.set()
        await app.state.mail_task


async def _close_pool(app: Litestar) -> None:
    if app.state.settings.db_pool:
        await close_pool()


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    if settings.fast_password_hashing:
        passwords.use_fast_hashing()
    session_auth = SessionAuth[CurrentUser, SessionConfig](
        retrieve_user_handler=retrieve_user,
        session_backend_config=SessionConfig(
            max_age=settings.session_max_age, renew_on_access=True, secure=settings.is_https,
            httponly=True, samesite="lax", exclude=["^/static/", "^/healthz$"],
        ),
        exclude=PUBLIC_PATHS,
    )
    return Litestar(
        route_handlers=[desk_router, healthz, healthz_head, service_worker, favicon, auth_router, orgs_router, people_router, modules_router,
                        enrolment_router, attendance_router, invites_router, spending_router,
                        volunteering_router, piis_router, report_router,
                        create_static_files_router(path="/static", directories=[STATIC], opt={"public": True},
                                                   include_in_schema=False)],
        plugins=[HTMXPlugin()],
        on_app_init=[session_auth.on_app_init],
        stores={"sessions": DatabaseStore()},
        # a feed is only read (GET, HEAD): no CSRF cookie handed to calendar apps on every poll
        csrf_config=CSRFConfig(secret=settings.secret, cookie_secure=settings.is_https, cookie_httponly=True,
                               exclude=["^/static/", "^/healthz$", "^/feed/"]),
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(
            make_environment(TEMPLATE_GLOBALS))),
        exception_handlers={NotAuthorizedException: not_signed_in, HTTPException: error_page,
                            DatabaseBusy: database_busy, Exception: error_page},
        before_request=_before_request,
        # On the application's ASGI send: error answers made outside a route get the headers too.
        before_send=[SecurityHeaders(settings.is_https)],
        request_class=PlannerRequest,
        # Every form is small; only the import takes a file (its own limit). A form of a million fields
        # sent by anyone held the event loop for seconds while it was parsed.
        request_max_body_size=MAX_FORM_BYTES,
        on_startup=[_start_pool, _start_mail_worker, _start_job_worker],
        on_shutdown=[_stop_job_worker, _stop_mail_worker, _close_pool],
        state=State({"settings": settings}),
        openapi_config=None,
        debug=False,
    )
