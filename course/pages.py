"""What the server needs to know about a course page before it runs: language, title, charts.

Plain functions over a notebook's JSON, used by :mod:`course.voila_hooks` (which Voila
and Jupyter Server call for every page) and by the tests. No kernel, no widgets.

- :func:`page_lang` gives the BCP 47 tag for ``<html lang>``: ``"zh-CN"`` or ``"en"``
  (WCAG 3.1.1: a screen reader picks its voice from it).
- :func:`page_title` gives a human tab title in the page's language (WCAG 2.4.2),
  taken from the page's first level-1 heading, never the file name.
"""
from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from .i18n import t

HTML_LANG = {"zh": "zh-CN", "en": "en"}
# Calls in a code cell that draw a plotly chart, now or after the learner acts
# (the risk register draws its heat map once a risk is added).
PLOTLY_EXTENSION = "jupyterlab-plotly"
# Lab extensions installed for JupyterLab that a Voila page never uses (no notebook UI,
# no code shown): each would cost requests and bytes on every page.
UNUSED_IN_VOILA = ("@jupyter-notebook/lab-extension", "@jupyter/nbgrader", "jupyterlab_pygments")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`]+")


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _metadata_lang(notebook: dict) -> str | None:
    lang = (notebook.get("metadata", {}).get("sp_course") or {}).get("lang")
    return lang if lang in HTML_LANG else None


def _path_lang(path: str | Path | None) -> str | None:
    if not path:
        return None
    parts = PurePosixPath(str(path).replace("\\", "/")).parts
    for first, second in zip(parts, parts[1:]):
        if first == "modules" and second in HTML_LANG:
            return second
    return None


def course_lang(notebook: dict, path: str | Path | None = None) -> str | None:
    """The course language of a page (``"zh"`` or ``"en"``): notebook metadata
    ``sp_course.lang`` first, else the ``modules/<lang>/`` folder; ``None`` for a page
    outside the course (e.g. the benchmark's slider)."""
    return _metadata_lang(notebook) or _path_lang(path)


def page_lang(notebook: dict, path: str | Path | None = None) -> str:
    """BCP 47 tag for the page's ``<html lang>``; English when nothing says otherwise."""
    return HTML_LANG[course_lang(notebook, path) or "en"]


def first_heading(notebook: dict) -> str | None:
    """Text of the first ``# `` heading of the first Markdown cells, without Markdown marks."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for line in _source(cell).splitlines():
            if line.startswith("# "):
                text = _MARKS.sub("", _LINK.sub(r"\1", line[2:])).strip()
                return text or None
    return None


def page_heading(notebook: dict, path: str | Path | None = None) -> str | None:
    """The page's heading: its first ``# `` heading, else (a tool page whose heading the tool
    shell draws) the catalogue text named by metadata ``sp_course.title_key``."""
    heading = first_heading(notebook)
    if heading:
        return heading
    key = (notebook.get("metadata", {}).get("sp_course") or {}).get("title_key")
    lang = course_lang(notebook, path)
    return t(key, lang) if key and lang else None


def page_title(notebook: dict, path: str | Path | None = None) -> str:
    """``"<first heading> · <course name>"`` in the page's language (the home page: its
    heading alone); the course name alone when a page has no heading; the file's stem
    for pages outside the course."""
    lang = course_lang(notebook, path)
    heading = page_heading(notebook, path)
    if lang is None:
        return heading or (PurePosixPath(str(path)).stem if path else "Voila")
    course = t("page.course_name", lang)
    if not heading:
        return course
    if (notebook.get("metadata", {}).get("sp_course") or {}).get("page") == "home":
        return heading  # the home page's heading already names the course
    return f"{heading} · {course}"


def loading_texts(lang: str | None) -> dict[str, str]:
    """Texts the template's scripts show, in the page's language: the loading status
    (``loading``; ``step`` with literal ``{step}`` and ``{total}`` for the script to fill)
    and the notes on links a serving mode cannot follow (``needsLab``, ``singlePage``)."""
    lang = lang or "en"
    return {
        "loading": t("page.loading", lang),
        "step": t("page.loading_step", lang, step="{step}", total="{total}"),
        "needsLab": t("page.link.needs_lab", lang),
        "singlePage": t("page.link.single_page", lang),
    }


def read_notebook(path: str | Path) -> dict[str, Any]:
    """The notebook's JSON, or an empty notebook if it cannot be read (the page then
    gets defaults; Voila itself reports the unreadable file)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"cells": [], "metadata": {}}
