"""The inspection pack's documents: HTML from the templates (in the current language), then PDFs laid out by
planner/report/pdf.py in a few worker processes at once (WeasyPrint holds the interpreter while it lays out a
page: in threads they would take turns, and the app's event loop would wait for them)."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor

from jinja2 import Environment

from planner.report.pdf import pdf
from planner.web import make_environment

PROCESSES = max(1, min(4, os.cpu_count() or 1))
FEW = 3  # fewer documents than this: laid out in a thread, no processes started


@functools.cache
def environment() -> Environment:
    return make_environment()


def html_of(template: str, context: dict) -> str:
    """The template rendered in the current language (i18n.set_language before)."""
    return environment().get_template(template).render(context)


async def pdfs_of(documents: list[tuple[str, str]], each_done: Callable[[], Awaitable[None]]) -> dict[str, bytes]:
    """{path: PDF} of (path, HTML) documents; `each_done` is awaited after each one (progress; it may raise to
    stop, and the documents not started yet are dropped)."""
    results: dict[str, bytes] = {}
    if len(documents) < FEW or PROCESSES == 1:
        for path, html in documents:
            results[path] = await asyncio.to_thread(pdf, html)
            await each_done()
        return results
    loop = asyncio.get_running_loop()
    # spawn: a forked copy of an app process would carry its event loop, threads and database connections
    pool = ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("spawn"))

    async def one(path: str, html: str) -> tuple[str, bytes]:
        return path, await loop.run_in_executor(pool, pdf, html)

    try:
        for next_done in asyncio.as_completed([one(path, html) for path, html in documents]):
            path, content = await next_done
            results[path] = content
            await each_done()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results
