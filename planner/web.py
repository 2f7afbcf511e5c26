"""Rendering pages and fragments, flash messages, form helpers and translated error pages."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException
from litestar.datastructures import FormMultiDict
from litestar.plugins.htmx import ClientRedirect, HTMXRequest
from litestar.types import Empty
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from planner import i18n, names
from planner.settings import ROOT
from planner.i18n import N_


log = logging.getLogger("planner")


def make_environment(extra_globals: dict[str, Any] | None = None) -> Environment:
    """The templates' Jinja2 environment: i18n, formatting filters, name helpers and the macros of
    _macros.html as globals, then `extra_globals` (an area's template functions, passed by app.py: this
    module imports no area)."""
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
        format_weekday=i18n.format_weekday,
        format_short_weekday=i18n.format_short_weekday,
        format_month=i18n.format_month,
        format_day_month=i18n.format_day_month,
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
    env.globals.update(extra_globals or {})
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
        media_type="text/html",  # every page is HTML (saves guessing from the name); Litestar adds the charset
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


MAX_ID = 2_147_483_647  # ids are int4 serials on PostgreSQL: 1..2**31-1
# The largest request body: a form (10,000 characters in each of its fields fits many times over), and
# a file to import (a list of 2000 people, even as a workbook with its formatting).
MAX_FORM_BYTES = 1_000_000
MAX_UPLOAD_BYTES = 10_000_000


class PlannerRequest(HTMXRequest):
    """HTMXRequest whose form never holds a NUL byte: PostgreSQL refuses them in text, and no one
    types one. Uploaded files are left as they are (an .xlsx is binary)."""

    async def form(self) -> FormMultiDict:
        if self._form is Empty:
            raw = await super().form()
            self._form = FormMultiDict([(k, v.replace("\x00", "") if isinstance(v, str) else v)
                                        for k, v in raw.multi_items()])
        return self._form


def parse_id(value: Any) -> int | None:
    """An id as a path, a filter or a form sends it: ASCII digits within 1..MAX_ID, else None."""
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def form_id(form: Any, name: str) -> int:
    """The id in a form field, or 0 (matches no row) when it is missing or out of range."""
    return parse_id(form.get(name)) or 0


def form_ids(form: Any, name: str) -> list[int]:
    """Every valid id sent under this name (a multiple select); the others are dropped."""
    return [i for i in (parse_id(v) for v in form.getall(name, [])) if i is not None]


def form_int(form: Any, name: str, lo: int, hi: int, errors: dict[str, str], required: bool = False,
             key: str | None = None, message: str | None = None) -> int | None:
    """A whole number lo..hi from a form field. Empty gives None (an error when required); anything
    else out of range puts a message (already translated, default "a whole number from lo to hi") on
    the field (`key`, default its name) in `errors` and gives None."""
    value = text(form, name)
    if not value and not required:
        return None
    number = int(value) if value.isascii() and value.lstrip("-").isdigit() and len(value) <= 12 else None
    if number is None or not lo <= number <= hi:
        errors[key or name] = message or i18n.gettext("Give a whole number from %(lo)s to %(hi)s.", lo=lo, hi=hi)
        return None
    return number


def form_version(form: Any, errors: dict[str, str]) -> int:
    """The hidden `version` an edit form carries (design.md: a stale save is refused). Out of range
    or missing, a translated message goes in errors["version"] and 0 is given; the form shown again
    carries the saved version, so saving again works."""
    version = form_int(form, "version", 1, MAX_ID, errors, required=True, message=i18n.gettext(
        "This form could not be read completely. Check it and save again."))
    return version or 0


def max_length(column: Any) -> int:
    """The length a Varchar column declares: the one place each limit is written."""
    return column.length


def form_text(form: Any, name: str, column: Any, errors: dict[str, str], key: str | None = None) -> str:
    """The trimmed text of a form field, checked against the column's declared length; too long puts
    a translated message on the field (`key`, default the field's name) and the text is kept as typed
    so the form can show it again."""
    value = str(form.get(name, "") or "").replace("\x00", "").strip()
    limit = max_length(column)
    if len(value) > limit:
        errors[key or name] = i18n.ngettext("At most %(num)s character.", "At most %(num)s characters.", limit)
    return value


def text(form: Any, name: str, max_length: int = 500) -> str:
    return str(form.get(name, "") or "").replace("\x00", "").strip()[:max_length]


# The years a person may type: every birth date and plan, and far from the calendar's ends, where the
# week or month after a day does not exist (9999-12-31 in a filter or a plan was an OverflowError).
FIRST_YEAR, LAST_YEAR = 1900, 2199


# The years a page may be shown for (?year=, /report/{org}/{year}): from 2000, before any rule set the app
# holds (the Fonds PAS's first file is 2017), to next year (a budget is prepared ahead); the upper end moves
# with the Brussels date. A year typed in a form keeps FIRST_YEAR..LAST_YEAR and a message instead.
URL_FIRST_YEAR = 2000


def url_year_range() -> tuple[int, int]:
    """(first, last) year a page may be asked for: URL_FIRST_YEAR .. next year."""
    return URL_FIRST_YEAR, i18n.today().year + 1


def year_in_url(value: str | int, default: int) -> int:
    """The year a URL asks for; default when it names none. NotFoundException (404) for anything that is not a
    four-digit year within url_year_range(): no page of "Rapport 1900", no silent switch to this year."""
    value = str(value).strip()
    if not value:
        return default
    first, last = url_year_range()
    if not (value.isascii() and value.isdigit() and len(value) == 4 and first <= int(value) <= last):
        raise NotFoundException()
    return int(value)


def form_date(value: str) -> dt.date | None:
    """A date as <input type=date> sends it (yyyy-mm-dd, years FIRST_YEAR..LAST_YEAR), or None."""
    value = value.strip()
    if len(value) != 10:  # fromisoformat also reads 20261207 and week dates
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


# One message for a typed date that names no day (31/02/2026, 2026-13-01), on every form (the people form says
# the same of a birth date): the field was filled, so "give a date" would not say what is wrong.
NO_SUCH_DATE = N_("This date does not exist: check the day, month and year.")


def typed_no_date(value: str) -> bool:
    """Whether something was typed in a date field that form_date cannot read as a day (NO_SUCH_DATE)."""
    return bool(value.strip()) and form_date(value) is None


TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")


def form_time(value: str) -> dt.time | None:
    """A time as <input type=time> sends it (hh:mm, or hh:mm:ss), or None. Never one with an offset or a
    fraction ('09:00Z'): stored, it could no longer be compared with the others (a 500 for good)."""
    value = value.strip()
    if not TIME.fullmatch(value):
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        return None


# ---- error pages -------------------------------------------------------------------------------

ERROR_TITLES = {
    400: N_("The request could not be understood."),
    403: N_("You do not have access to this page."),
    404: N_("This page does not exist, or you do not have access to it."),
    405: N_("This action is not possible here."),
    410: N_("This link has been stopped. Ask your CPAS for a new one."),
    413: N_("This file is too large."),
    429: N_("Too many requests. Please wait a moment and try again."),
    500: N_("Something went wrong on our side. Your last action may not have been saved."),
    503: N_("The database is busy. Nothing was saved: try again in a moment."),
}
RETRY_AFTER = 5  # seconds, when the database is busy
CSRF_MESSAGE = N_("This form has expired. Reload the page and try again.")


def _set_language_for(request: Request) -> None:
    user = signed_in_user(request)
    i18n.set_language(i18n.negotiate(
        getattr(user, "language", ""), request.cookies.get("lang", ""),
        request.headers.get("accept-language", ""), request.app.state.settings.default_language,
    ))


def not_signed_in(request: Request, exc: NotAuthorizedException) -> Response:
    target = "/login?next=" + quote(request.url.path, safe="/")
    if request.headers.get("x-planner-queue"):
        # The tablet's queue of roll actions: a 401 it can tell from success (a redirect or an htmx
        # redirect would look delivered), so the taps stay waiting while the facilitator signs in again.
        return Response({"sign_in": target}, status_code=401, headers={"Cache-Control": "no-store"})
    if request.headers.get("hx-request"):
        return ClientRedirect(target)
    return Redirect(target, status_code=303)


def database_busy(request: Request, exc: Exception) -> Response:
    """Another process held SQLite's write lock too long (sqlite_engine.DatabaseBusy): 503 and when to
    retry, which the tablet's queue takes as "keep the tap"."""
    log.warning("database busy on %s %s", request.method, request.url.path)
    response = error_page(request, HTTPException(status_code=503))
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def error_page(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    if status >= 500 and status != 503:
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
