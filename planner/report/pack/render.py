"""HTML to PDF for the inspection pack: WeasyPrint with Debian's fonts (fonts-dejavu-core), one stylesheet
(planner/static/css/pack.css: the templates carry no <style>, as every page of the app).

WeasyPrint is pure Python and holds the interpreter while it lays out a page, so each document is laid out in
a thread: the app process's event loop keeps answering between documents."""

from __future__ import annotations

import asyncio
import functools
import logging
from pathlib import Path

from jinja2 import Environment

from planner.web import make_environment

# WeasyPrint logs every step of every document at INFO: hundreds of lines a pack in the app's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CSS_FILE = Path(__file__).resolve().parents[2] / "static" / "css" / "pack.css"


@functools.cache
def environment() -> Environment:
    return make_environment()


@functools.cache
def _weasy():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(CSS_FILE), font_config=fonts), fonts


def html_of(template: str, context: dict) -> str:
    """The template rendered in the current language (i18n.set_language before)."""
    return environment().get_template(template).render(context)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    css, fonts = _weasy()
    return HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)


async def pdf_of(template: str, context: dict) -> bytes:
    """A PDF of one template: rendered here, laid out in a thread."""
    return await asyncio.to_thread(_pdf, html_of(template, context))
