"""Rendering pages and fragments, flash messages, form helpers and translated error pages."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.plugins.htmx import ClientRedirect
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from planner import i18n, names
from planner.settings import ROOT

N_ = str  # marks a message id for extraction; it is translated where it is shown

log = logging.getLogger("planner")


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(ROOT / "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # no stat() of the template file on every render; restart to see edits
    )
    env.install_gettext_callables(i18n.template_gettext, i18n.template_ngettext, newstyle=True)
    env.filters.update(
        format_date=i18n.format_date,
        format_time=i18n.format_time,
        format_datetime=i18n.format_datetime,
        format_money=i18n.format_money,
        format_number=i18n.format_number,
    )
    env.globals.update(
        display_name=names.display_name,  # "First Last"; list_name: "Last, First"; one name alone
        list_name=names.list_name,
        current_language=i18n.current_language,
        languages=i18n.LANGUAGES,
        language_names=i18n.LANGUAGE_NAMES,
    )
    # Macros are globals, not per-template imports: an htmx swap renders one block alone, and a
    # block rendered alone does not see the template's top-level {% from ... import %}.
    macros = env.get_template("_macros.html").module
    env.globals.update({name: getattr(macros, name) for name in dir(macros) if not name.startswith("_")})
    from planner.attendance.labels import excuse_label, mark_label, reason_options, status_options

    env.globals.update(mark_label=mark_label, excuse_label=excuse_label, status_options=status_options,
                       reason_options=reason_options)
    return env


def signed_in_user(request: Request) -> Any:
    # Public routes skip the auth middleware, so request.user may be absent there.
    return request.scope.get("user")


def flash(request: Request, message: str, level: str = "success") -> None:
    """Queue a message (already translated) for the next full page."""
    session = dict(request.session)
    session["flash"] = [*session.get("flash", []), [level, message]]
    request.set_session(session)


def _base_context(request: Request, partial: bool) -> dict[str, Any]:
    context: dict[str, Any] = {"user": signed_in_user(request), "flashes": [], "current_path": request.url.path}
    if not partial and request.scope.get("session") and request.session.get("flash"):
        context["flashes"] = request.session["flash"]
        request.set_session({k: v for k, v in request.session.items() if k != "flash"})
    return context


def page(request: Request, template: str, context: dict[str, Any], block: str | None = None,
         status_code: int = 200) -> Template:
    """The whole page on a normal visit or a history restore; one named block on an htmx swap."""
    htmx = getattr(request, "htmx", None)
    partial = bool(block and htmx and not htmx.history_restore_request)
    return HTMXBlockTemplate(
        template_name=template,
        block_name=block if partial else None,
        context={**_base_context(request, partial), **context},
        status_code=status_code,
        headers={"Vary": "HX-Request"},
        media_type="text/html; charset=utf-8",  # every page is HTML; saves guessing from the name
    )


def redirect(request: Request, path: str) -> Response:
    """After a successful POST: htmx follows HX-Redirect, a plain form follows the 303."""
    if getattr(request, "htmx", None):
        return ClientRedirect(path)
    return Redirect(path, status_code=303)


def safe_next(path: str | None) -> str:
    # Only local paths: an open redirect after login would help phishing.
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/"


def text(form: Any, name: str, max_length: int = 500) -> str:
    return str(form.get(name, "") or "").strip()[:max_length]


def form_date(value: str) -> dt.date | None:
    """A date as <input type=date> sends it (yyyy-mm-dd), or None."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def form_time(value: str) -> dt.time | None:
    """A time as <input type=time> sends it (hh:mm), or None."""
    try:
        return dt.time.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


# ---- error pages -------------------------------------------------------------------------------

ERROR_TITLES = {
    400: N_("The request could not be understood."),
    403: N_("You do not have access to this page."),
    404: N_("This page does not exist, or you do not have access to it."),
    405: N_("This action is not possible here."),
    429: N_("Too many requests. Please wait a moment and try again."),
    500: N_("Something went wrong on our side. Your last action may not have been saved."),
}
CSRF_MESSAGE = N_("This form has expired. Reload the page and try again.")


def _set_language_for(request: Request) -> None:
    user = signed_in_user(request)
    i18n.set_language(i18n.negotiate(
        getattr(user, "language", ""), request.cookies.get("lang", ""),
        request.headers.get("accept-language", ""), request.app.state.settings.default_language,
    ))


def not_signed_in(request: Request, exc: NotAuthorizedException) -> Response:
    target = "/login?next=" + quote(request.url.path, safe="/")
    if request.headers.get("hx-request"):
        return ClientRedirect(target)
    return Redirect(target, status_code=303)


def error_page(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    if status >= 500:
        # Ids only in logs; the visitor sees a translated page without the trace.
        log.exception("error on %s %s", request.method, request.url.path)
    _set_language_for(request)
    detail = getattr(exc, "detail", "")
    message = CSRF_MESSAGE if detail == "CSRF token verification failed" else ERROR_TITLES.get(
        status, ERROR_TITLES[400 if status < 500 else 500]
    )
    return HTMXBlockTemplate(
        template_name="errors/error.html",
        context={"user": signed_in_user(request), "flashes": [], "status": status, "message": message,
                 "current_path": request.url.path},
        status_code=status,
    )
