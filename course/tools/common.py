"""Small pieces the tool shell builds on: download links, the public-server warning, guarded callbacks."""
from __future__ import annotations

import base64
import functools
import logging

import ipywidgets as w

from .. import safe_text
from ..i18n import N_, t
from ..storage import on_public_server

log = logging.getLogger(__name__)

MIME = {
    "md": "text/markdown;charset=utf-8",
    "json": "application/json;charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html;charset=utf-8",
    "csv": "text/csv;charset=utf-8",
}


def download_link_html(filename: str, payload: bytes, label: str) -> str:
    """An ``<a download>`` with the file inlined as a data URI.

    The bytes travel inside the page, so the download works the same in Voila and
    JupyterLab, offline, and never touches a server path.
    """
    extension = filename.rsplit(".", 1)[-1].lower()
    mime = MIME.get(extension, "application/octet-stream")
    encoded = base64.b64encode(payload).decode("ascii")
    return (
        f'<a class="sp-download" download="{safe_text.html_text(filename)}" '
        f'href="data:{mime};base64,{encoded}">{safe_text.html_text(label)}</a>'
    )


def public_server_warning(lang: str, environ: dict | None = None) -> w.HTML:
    """A visible warning against real names; stronger on Binder or a shared hub."""
    key = (
        N_("common.warning.public_server") if on_public_server(environ) else N_("common.warning.privacy")
    )
    return w.HTML(
        f'<div class="sp-warning" role="alert">{safe_text.html_text(t(key, lang))}</div>'
    )


def guarded(status: w.HTML, lang: str):
    """Decorate a widget callback so an error is shown in ``status`` and never lost input.

    The callback's own widgets keep their values: only the status line changes.
    """

    def decorate(callback):
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except Exception as exc:  # a learner must never see a traceback
                log.exception("tool callback failed")
                status.value = (
                    '<div class="sp-error" role="alert">'
                    + safe_text.html_text(t("common.error.unexpected", lang, detail=type(exc).__name__))
                    + "</div>"
                )
                return None

        return wrapper

    return decorate


def labelled(widget: w.Widget, label: str) -> w.Widget:
    """Give a control an accessible name (screen readers, axe-core) and a visible label."""
    widget.description = label
    widget.style = {"description_width": "initial"}
    # ipywidgets 8 forwards `tooltip` to the title attribute; aria-label is not exposed,
    # so the visible description is what names the control.
    return widget
