"""The tool shell: the chrome every tool's view composes, written once.

:class:`ToolShell` (language switch, page heading and intro, public-server warning,
status line, error guard, option relabelling), :class:`RecordsPanel` (the encrypted
saved-records panel, from :mod:`course.tools.records`) and :class:`Downloads` (one-click downloads, :mod:`course.tools.downloads`). The small HTML helpers it
builds on live in :mod:`course.tools.common` and are re-exported here.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import ipywidgets as w

from .. import safe_text
from ..i18n import t
from .common import MIME, download_link_html, guarded, labelled, public_server_warning
from .downloads import Downloads
from .records import RecordsPanel

__all__ = [
    "MIME", "Downloads", "RecordsPanel", "ToolShell", "download_link_html", "guarded", "labelled",
    "language_choices", "page_header_html", "public_server_warning", "set_options",
]

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- the shell
def language_choices() -> list[tuple[str, str]]:
    """The course languages, each named in its own script (CLDR): 中文, English ..."""
    from .. import i18n

    return [(i18n.language_name(lang), lang) for lang in i18n.LANGUAGES]

STATUS_CLASSES = {"ok": "sp-ok", "info": "sp-ok", "note": "sp-note", "warning": "sp-warning", "error": "sp-error"}


def set_options(widget: w.Widget, options) -> None:
    """Relabel a selection widget (Dropdown, ToggleButtons ...) without losing the chosen value."""
    options = list(options)
    value = widget.value
    widget.options = options
    values = [v for _label, v in options]
    if value in values:
        widget.value = value


def _debounce(owner, delay: float, callback) -> None:
    """Run ``callback`` after ``delay`` seconds of quiet on the kernel's event loop (one pending
    call per ``owner``); at once outside a Jupyter kernel (plain Python: tests, scripts).

    The kernel is asked for directly: a loop that merely looks "running" (left behind by
    nest_asyncio in the same process) would never fire the call.
    """
    import asyncio

    try:
        from IPython import get_ipython

        in_kernel = getattr(get_ipython(), "kernel", None) is not None
        loop = asyncio.get_running_loop() if in_kernel else None
    except (ImportError, RuntimeError):
        loop = None
    if loop is None:
        callback()
        return
    pending = getattr(owner, "_sp_pending", None)
    if pending is not None:
        pending.cancel()
    owner._sp_pending = loop.call_later(delay, callback)


def page_header_html(page: dict, lang: str) -> str:
    """A tool page's own heading, links and introduction, in ``lang``.

    ``page`` holds catalogue keys: ``heading``, ``intro`` (paragraphs split by a blank
    line) and ``links`` (``[(label_key, href), ...]``, relative addresses). Written by the
    shell rather than by a Markdown cell, so the language switch relabels the whole page
    and nobody has to leave it (and lose what they typed) to read it in the other language.
    """
    h = safe_text.html_text
    links = " · ".join(f'<a href="{h(href)}">{h(t(key, lang))}</a>' for key, href in page.get("links", ()))
    paragraphs = "".join(f"<p>{h(text.strip())}</p>" for text in t(page["intro"], lang).split("\n\n") if text.strip())
    nav = f'<nav class="sp-page-links">{links}</nav>' if links else ""
    return f'<h1>{h(t(page["heading"], lang))}</h1>{nav}{paragraphs}'


class ToolShell:
    """The chrome every tool shares, written once.

    A view builds a ``ToolShell`` and puts its own controls in the body::

        shell = ToolShell("chooser", lang, relabel=self.relabel)
        root = shell.compose([...the tool's controls...], style=_STYLE)

    It provides: the language switch (typed values stay; the whole tool, including
    the page heading and intro given as catalogue keys, is relabelled); the
    public-server warning; one status line (:meth:`say`, re-rendered in the new
    language on a switch); the error guard (:meth:`guard`: a failing callback shows a
    message, never a traceback, and leaves every control as it was); option
    relabelling (:func:`set_options`); the saved-records panel slot (:attr:`records`,
    a :class:`RecordsPanel` or anything with the same interface); and one-click
    :class:`Downloads`.
    """

    def __init__(self, tool: str, lang: str, *, relabel=None, heading_key: str | None = None,
                 intro_key: str | None = None, environ: dict | None = None, page: dict | None = None) -> None:
        from ..i18n import normalise_lang

        self.tool = tool
        self.lang = normalise_lang(lang)
        self._relabel_tool = relabel
        self.heading_key = heading_key
        self.intro_key = intro_key
        self.environ = environ
        self.language = w.ToggleButtons(options=language_choices(), value=self.lang,
                                        style={"description_width": "initial"})
        self.language.add_class("sp-language")
        self.warning = w.HTML(layout=w.Layout(width="100%"))
        self.heading = w.HTML(layout=w.Layout(width="100%"))
        self.intro = w.HTML(layout=w.Layout(width="100%"))
        self.status = w.HTML(layout=w.Layout(width="100%"))
        self.page = page
        self.page_header = w.HTML(layout=w.Layout(width="100%"))
        self.page_header.add_class("sp-page-header")
        self.records: RecordsPanel | None = None
        self.downloads: Downloads | None = None
        self._status_render: Callable[[], None] | None = None
        self.language.observe(self.guard(self._on_language), names="value")

    # ------------------------------------------------------------------ composition
    def compose(self, body, *, style: str = "", container=None) -> w.Box:
        """The tool's widget: style, language switch, warning, heading, intro, then ``body``."""
        parts = [w.HTML(style)] if style else []
        parts += [self.page_header] if self.page else []
        parts += [self.language, self.warning, self.heading, self.intro, *body]
        root = container if container is not None else w.VBox(layout=w.Layout(width="100%", max_width="980px"))
        root.children = tuple(parts)
        root.add_class(f"sp-{self.tool}")
        root.add_class("sp-tool")
        return root

    # ------------------------------------------------------------------ language
    def _on_language(self, change) -> None:
        from ..i18n import normalise_lang

        self.lang = normalise_lang(change["new"])
        self.relabel()
        if self._relabel_tool is not None:
            self._relabel_tool()
        if self._status_render is not None:
            self._status_render()

    def relabel(self) -> None:
        """The shell's own labels in :attr:`lang`."""
        lang = self.lang
        self.language.description = t("common.language", lang)
        self.warning.value = public_server_warning(lang, self.environ).value
        self.heading.value = (f"<h2>{safe_text.html_text(t(self.heading_key, lang))}</h2>"
                              if self.heading_key else "")
        self.intro.value = (f"<p>{safe_text.html_text(t(self.intro_key, lang))}</p>"
                            if self.intro_key else "")
        if self.page:
            self.page_header.value = page_header_html(self.page, lang)
        if self.records is not None:
            self.records.relabel(lang)

    # ------------------------------------------------------------------ status and guard
    def say(self, kind: str, key: str | None, details=None, /, **values) -> None:
        """Show ``key`` (with ``values``) in the status line; shown again in the new language on a switch.

        ``kind`` is ok, info, warning or error; ``details`` are extra lines (plain text,
        escaped). ``key=None`` clears the line.
        """
        def render() -> None:
            if key is None:
                self.status.value = ""
                return
            items = "".join(f"<li>{safe_text.html_block(d)}</li>" for d in (details or []))
            body = safe_text.html_text(t(key, self.lang, **values)) + (f"<ul>{items}</ul>" if items else "")
            role = "alert" if kind == "error" else "status"
            self.status.value = f'<div class="{STATUS_CLASSES[kind]}" role="{role}">{body}</div>'

        self._status_render = render
        render()

    def clear_status(self) -> None:
        self._status_render = None
        self.status.value = ""

    def guard(self, callback):
        """``callback`` wrapped so an error shows in the status line, in the language shown
        when it runs, and no control loses its value."""

        @functools.wraps(callback)
        def run(*args, **kwargs):
            return guarded(self.status, self.lang)(callback)(*args, **kwargs)

        return run

    set_options = staticmethod(set_options)

    # ------------------------------------------------------------------ records and downloads
    def add_records(self, kind: str, *, get_payload, on_restore, store_root=None) -> RecordsPanel:
        """Compose the saved-records panel: the one seam between a tool and its encrypted store.

        ``get_payload() -> (payload_dict, title) | None`` says what to save; ``on_restore(payload,
        record_id)`` puts an opened record back (raise to refuse it). Passphrase, listing, lock,
        deletion and quick delete are the panel's (:class:`course.tools.records.RecordsPanel`),
        and :meth:`relabel` relabels it with the rest of the shell.
        """
        self.records = RecordsPanel(kind, self.lang, get_payload, on_restore, store_root=store_root)
        return self.records

    def add_downloads(self, files, note: str = "") -> Downloads:
        """Compose the download buttons: ``files() -> [(filename, label, bytes or function), ...]``
        (see :class:`course.tools.downloads.Downloads`); a failing build shows in the status line."""
        self.downloads = Downloads(files, note, guard=self.guard)
        self.downloads._refresh_now = self.guard(self.downloads.refresh)
        return self.downloads
