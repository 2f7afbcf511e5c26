"""HTML to PDF with WeasyPrint and Debian's fonts (fonts-dejavu-core), one stylesheet
(planner/static/css/pack.css: the templates carry no <style>, as every page of the app).

This module imports WeasyPrint and nothing of planner: the inspection pack lays its documents out in worker
processes (pack/render.py), which import only this. WeasyPrint is pure Python, so one process lays out one
page at a time (about 0.1 s a page of 40 rows on an idle core, bench/report_pack.py)."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

# WeasyPrint logs every step of every document at INFO: hundreds of lines a pack in the app's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CSS_FILE = Path(__file__).resolve().parents[1] / "static" / "css" / "pack.css"


@functools.cache
def _weasy():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(CSS_FILE), font_config=fonts), fonts


def pdf(html: str) -> bytes:
    """The PDF of one HTML document (A4, the pack's stylesheet)."""
    from weasyprint import HTML

    css, fonts = _weasy()
    return HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)
