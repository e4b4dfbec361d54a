"""The tool shell: the chrome every tool's view composes, written once.

:class:`ToolShell` (language switch, page heading and intro, public-server warning,
status line, error guard, option relabelling), :class:`RecordsPanel` (the saved-records
seam) and :class:`Downloads` (one-click download links). The small HTML helpers it
builds on live in :mod:`course.tools.common` and are re-exported here.
"""
from __future__ import annotations

import functools
import logging

import ipywidgets as w

from .. import safe_text
from ..i18n import t
from .common import MIME, download_link_html, guarded, labelled, public_server_warning

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
    call per ``owner``); at once when no loop runs (plain Python: tests, scripts)."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return
    pending = getattr(owner, "_sp_pending", None)
    if pending is not None:
        pending.cancel()
    owner._sp_pending = loop.call_later(delay, callback)


class Downloads(w.HTML):
    """One-click downloads: ready ``<a download>`` links, kept in step with the tool's data.

    The view hands over a function returning ``[(filename, label, payload_bytes), ...]``
    for the current data (an empty list hides the links); :meth:`refresh` rebuilds them.
    Every link already carries its file, so a single click saves it: there is no
    "prepare" step. While typing, :meth:`stale` hides the links until the data settles,
    so a click never saves an older version than what is on screen.
    """

    DELAY = 0.6
    """Seconds of quiet before links are rebuilt after typing (Word export is not free)."""

    def __init__(self, files, note: str = "") -> None:
        super().__init__(layout=w.Layout(width="100%"))
        self.files = files
        self.note = note
        self.add_class("sp-downloads-box")
        self._refresh_now = self.refresh

    def refresh(self) -> None:
        entries = list(self.files())
        if not entries:
            self.value = ""
            return
        links = "".join(download_link_html(name, payload, label) for name, label, payload in entries)
        note = f' <span class="sp-download-note">{safe_text.html_text(self.note)}</span>' if self.note else ""
        self.value = f'<div class="sp-downloads">{links}{note}</div>'

    def stale(self) -> None:
        """The data changed: hide the links now, rebuild them once typing pauses."""
        if self.value:
            self.value = ""
        _debounce(self, self.DELAY, self._refresh_now)


class RecordsPanel:
    """The saved-records panel a tool composes: list, save, restore, delete one, delete all.

    The seam between a tool and its private store. The tool gives two callbacks and
    knows nothing about storage:

    * ``payload_to_save() -> (title, payload_dict) | None`` (``None``: nothing worth saving);
    * ``restore(payload_dict, record_id)``: put a saved payload back into the tool.

    Everything else (which store, encryption, listing, confirmation before deleting)
    lives here, so a different panel with the same constructor and ``widget`` / ``relabel``
    / ``save`` / ``refresh`` methods can replace this one without touching any tool.
    ``keys`` names the tool's catalogue messages (see :data:`RECORD_KEYS`).
    """

    def __init__(self, kind: str, *, lang: str, say, keys: dict[str, str], payload_to_save, restore,
                 store_root=None) -> None:
        from .. import storage  # imported here: views that save nothing do not need it

        self._storage = storage
        self.kind = kind
        self.lang = lang
        self.say = say
        self.keys = keys
        self.payload_to_save = payload_to_save
        self.restore_payload = restore
        self.store_root = store_root
        self.record_id: str | None = None
        self._pending_delete: str | None = None

        self.save_button = w.Button(icon="floppy-o", layout=w.Layout(width="auto"))
        self.saved = w.Dropdown(options=[], style={"description_width": "initial"},
                                layout=w.Layout(width="auto", min_width="20rem"))
        self.restore_button = w.Button(layout=w.Layout(width="auto"))
        self.delete_button = w.Button(button_style="danger", layout=w.Layout(width="auto"))
        self.delete_all_button = w.Button(button_style="danger", layout=w.Layout(width="auto"))
        self.confirm_text = w.HTML()
        self.confirm_yes = w.Button(button_style="danger", layout=w.Layout(width="auto"))
        self.confirm_no = w.Button(layout=w.Layout(width="auto"))
        self.confirm_box = w.HBox([self.confirm_text, self.confirm_yes, self.confirm_no],
                                  layout=w.Layout(display="none", flex_flow="row wrap"))
        self.widget = w.VBox([
            w.HBox([self.saved, self.restore_button, self.delete_button, self.delete_all_button],
                   layout=w.Layout(flex_flow="row wrap")),
            self.confirm_box,
        ])
        self.widget.add_class("sp-records")

    def wire(self, guard) -> None:
        """Connect the buttons through the shell's error guard."""
        self.save_button.on_click(guard(lambda _b: self.save()))
        self.restore_button.on_click(guard(lambda _b: self.restore(self.saved.value)))
        self.delete_button.on_click(guard(lambda _b: self.ask_delete(self.saved.value)))
        self.delete_all_button.on_click(guard(lambda _b: self.ask_delete("*")))
        self.confirm_yes.on_click(guard(lambda _b: self.confirm_delete()))
        self.confirm_no.on_click(guard(lambda _b: self.cancel_delete()))

    def relabel(self, lang: str) -> None:
        self.lang = lang
        k = self.keys
        self.save_button.description = t(k["save"], lang)
        self.saved.description = t(k["saved"], lang)
        self.restore_button.description = t(k["restore"], lang)
        self.delete_button.description = t(k["delete"], lang)
        self.delete_all_button.description = t(k["delete_all"], lang)
        self.confirm_yes.description = t(k["confirm_yes"], lang)
        self.confirm_no.description = t(k["confirm_no"], lang)
        if self._pending_delete is not None:
            self._show_confirm()
        self.refresh()

    def save(self):
        content = self.payload_to_save()
        if content is None:
            self.say("warning", self.keys["empty"])
            return None
        title, payload = content
        record_id = self.record_id or self._storage.new_id()
        try:
            record = self._storage.save(self.kind, record_id, title, payload, self.store_root)
        except self._storage.StorageError as exc:
            log.warning("could not save a %s: %s", self.kind, exc)
            self.say("error", self.keys["save_failed"])
            return None
        self.record_id = record_id
        self.refresh(select=record_id)
        self.say("ok", self.keys["saved_done"], title=title, time=record.saved_at.replace("T", " ")[:16])
        return record

    def refresh(self, select: str | None = None) -> None:
        try:
            records = self._storage.list_records(self.kind, self.store_root)
        except self._storage.StorageError as exc:
            log.warning("could not list saved %s records: %s", self.kind, exc)
            self.say("error", self.keys["save_failed"])
            records = []
        options = [(f"{safe_text.preview(r.title, 60)} · {r.saved_at.replace('T', ' ')[:16]}", r.record_id)
                   for r in records] or [(t(self.keys["none_saved"], self.lang), "")]
        keep = select or self.saved.value
        self.saved.options = options
        values = [v for _label, v in options]
        self.saved.value = keep if keep in values else values[0]
        for button in (self.restore_button, self.delete_button, self.delete_all_button):
            button.disabled = not records

    def restore(self, record_id: str) -> None:
        if not record_id:
            return
        try:
            payload = self._storage.load(self.kind, record_id, self.store_root)
        except (self._storage.StorageError, ValueError) as exc:
            log.warning("could not restore a %s: %s", self.kind, exc)
            self.say("error", self.keys["restore_failed"])
            return
        self.restore_payload(payload, record_id)
        self.record_id = record_id

    def ask_delete(self, target: str) -> None:
        """First click: ask (the confirmation offers yes / cancel); the same button again confirms."""
        if not target:
            return
        if self._pending_delete == target:
            self.confirm_delete()
            return
        self._pending_delete = target
        self._show_confirm()

    def _show_confirm(self) -> None:
        key = self.keys["confirm_all"] if self._pending_delete == "*" else self.keys["confirm_one"]
        self.confirm_text.value = (f'<span class="sp-warning" role="alert">'
                                   f'{safe_text.html_text(t(key, self.lang))}</span>')
        self.confirm_box.layout.display = "flex"

    def cancel_delete(self) -> None:
        self._pending_delete = None
        self.confirm_box.layout.display = "none"

    def confirm_delete(self) -> None:
        target, self._pending_delete = self._pending_delete, None
        self.confirm_box.layout.display = "none"
        if target is None:
            return
        try:
            if target == "*":
                count = self._storage.delete_all(self.kind, self.store_root)
                self.record_id = None
                self.say("ok", self.keys["deleted_all"], count=count)
            else:
                self._storage.delete(self.kind, target, self.store_root)
                if target == self.record_id:
                    self.record_id = None
                self.say("ok", self.keys["deleted_one"])
        except (self._storage.StorageError, ValueError) as exc:
            log.warning("could not delete a %s: %s", self.kind, exc)
            self.say("error", self.keys["delete_failed"])
        self.refresh()


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
        self._status_render = None
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
    def add_records(self, kind: str, *, keys: dict[str, str], payload_to_save, restore,
                    store_root=None) -> RecordsPanel:
        """Compose the saved-records panel (see :class:`RecordsPanel` for the seam)."""
        self.records = RecordsPanel(kind, lang=self.lang, keys=keys, payload_to_save=payload_to_save,
                                    restore=restore, store_root=store_root,
                                    say=lambda kind_, key, **values: self.say(kind_, key, **values))
        self.records.wire(self.guard)
        return self.records

    def add_downloads(self, files, note: str = "") -> Downloads:
        self.downloads = Downloads(files, note)
        self.downloads._refresh_now = self.guard(self.downloads.refresh)
        return self.downloads
