"""Inside a Voila app, show a cell's error as a short, escaped message instead of a traceback.

Voila hides tracebacks (they can leak paths and code) and shows a generic line that
tells a learner nothing. When the kernel runs under Voila, this handler shows what
went wrong (the exception's own message, which in the course names the file, row
and column or the missing catalogue) and lets the rest of the page render.
Outside Voila (JupyterLab, nbval, nbgrader) errors stay ordinary errors.
"""
from __future__ import annotations

import os

from . import safe_text
from .i18n import t


def running_in_voila(environ=None) -> bool:
    env = os.environ if environ is None else environ
    return env.get("SERVER_SOFTWARE", "").startswith("voila")


def error_html(exc: BaseException) -> str:
    detail = safe_text.html_text(safe_text.preview(f"{type(exc).__name__}: {exc}", limit=600))
    messages = {lang: t("common.error.cell", lang) for lang in ("zh", "en")}
    lines = "".join(f'<p lang="{lang}">{safe_text.html_text(text)}</p>' for lang, text in messages.items())
    return f'<div class="sp-error" role="alert">{lines}<p><code>{detail}</code></p></div>'


def install(shell=None, environ=None) -> bool:
    """Register the handler on the running IPython shell when under Voila; returns whether it did."""
    if not running_in_voila(environ):
        return False
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False

    def show_friendly_error(shell, etype, value, tb, tb_offset=None):
        from IPython.display import HTML, display

        display(HTML(error_html(value)))
        return None

    shell.set_custom_exc((Exception,), show_friendly_error)
    return True
