"""Hooks that Voila and Jupyter Server call for every course page (see :mod:`course.install`).

- :func:`page_config_hook` (every serving path): switches MathJax off (inside JupyterLab
  Voila's front end would fetch it from a public CDN; the course has no mathematics and
  contacts no third party); adds the page's language and human title
  (``page_config["spCourse"]``, read by the ``sp-course`` template); drops
  plotly's lab extension (about 4.85 MB, which Voila would load before drawing any widget;
  charts are :class:`course.chart_widget.Chart` widgets that fetch plotly.js later); and, under
  standalone Voila, turns on the gzip that ``Voila.tornado_settings`` asks for; marks
  Voila's content-hashed lab-extension files cacheable for a year.

This module is a Jupyter Server extension: ``course.install`` enables it in the
environment's ``etc/jupyter/jupyter_server_config.d/sp-course.json``, so every
server of the environment (a hub user's too) sets the hook. ``page_config_hook``
is a Python callable, which a JSON config file cannot hold; the extension puts it
into the server's configuration while extensions are linked, before Voila's
extension is loaded and reads ``VoilaConfiguration``.
"""
from __future__ import annotations

import logging
import os

from . import pages

log = logging.getLogger(__name__)


def _notebook_file(notebook_path: str | None, settings: dict | None) -> str | None:
    if not notebook_path:
        return None
    if os.path.isabs(notebook_path):
        return notebook_path
    contents_manager = (settings or {}).get("contents_manager")
    root = getattr(contents_manager, "root_dir", None) or os.getcwd()
    return os.path.join(root, notebook_path)


def _enable_standalone_gzip(settings: dict | None) -> None:
    """Voila 0.5.13 copies ``Voila.tornado_settings`` into the Tornado application *after*
    building it, so Tornado never installs the gzip transform ``compress_response`` asks
    for. Install Tornado's own transform once, as the setting intended. The first page
    served before this hook ran goes out uncompressed; every later response is gzipped.
    Jupyter Server passes its settings at construction, so it needs nothing here."""
    settings = settings or {}
    if not (settings.get("compress_response") or settings.get("gzip")):
        return
    voila_app = settings.get("voila")
    application = getattr(voila_app, "app", None)
    transforms = getattr(application, "transforms", None)
    if transforms is None:
        return
    from tornado.web import GZipContentEncoding

    if GZipContentEncoding not in transforms:
        transforms.append(GZipContentEncoding)


def _labextension_static_prefixes(base_url: str) -> list[str]:
    """URL prefixes of every lab extension's ``static/`` folder as Voila serves them: webpack
    names each file there by its content hash, so a changed file always has a new URL."""
    from glob import glob

    from voila.utils import get_voila_labextensions_path

    prefixes = set()
    for root in get_voila_labextensions_path():
        for static in glob(os.path.join(root, "**", "static"), recursive=True):
            relative = os.path.relpath(static, root).replace(os.sep, "/")
            prefixes.add(f"{base_url.rstrip('/')}/voila/labextensions/{relative}/")
    return sorted(prefixes)


def _cache_labextension_assets(settings: dict | None, base_url: str | None) -> None:
    """Long cache lifetimes for Voila's hashed lab-extension files (Jupyter Server's own
    ``static_immutable_cache`` setting, which JupyterLab already uses for ``/lab/extensions``;
    Voila serves its copies with ``no-cache``, a round trip per file on every page)."""
    if settings is None or settings.get("sp_course_immutable_added"):
        return
    immutable = list(settings.get("static_immutable_cache") or [])
    immutable += [p for p in _labextension_static_prefixes(base_url or "/") if p not in immutable]
    settings["static_immutable_cache"] = immutable
    settings["sp_course_immutable_added"] = True


def serving_mode(settings: dict | None) -> str:
    """``"voila-notebook"`` (``voila one.ipynb``: only that page is served), ``"voila"``
    (``voila .``: every page, no JupyterLab) or ``"jupyter"`` (Voila inside a Jupyter
    Server: JupyterLab, Binder, a JupyterHub user server)."""
    voila_app = (settings or {}).get("voila")
    if voila_app is None or not hasattr(voila_app, "notebook_path"):
        return "jupyter"
    return "voila-notebook" if voila_app.notebook_path else "voila"


def page_config_hook(page_config: dict, **kwargs) -> dict:
    # Voila's front end loads MathJax (from the CDN if no URL is set) unless *both* are null.
    page_config["fullMathjaxUrl"] = None
    page_config["mathjaxConfig"] = None
    settings = kwargs.get("settings")
    try:
        _enable_standalone_gzip(settings)
    except Exception:  # never let a speed-up break a page
        log.exception("could not enable gzip")
    try:
        _cache_labextension_assets(settings, kwargs.get("base_url"))
    except Exception:
        log.exception("could not set cache lifetimes")
    notebook_path = kwargs.get("notebook_path")
    path = _notebook_file(notebook_path, settings)
    if path is None:
        return page_config
    notebook = pages.read_notebook(path)
    lang = pages.course_lang(notebook, notebook_path) or "en"
    page_config["spCourse"] = {
        "lang": lang,
        "mode": serving_mode(settings),
        "text": pages.loading_texts(lang),
        "htmlLang": pages.page_lang(notebook, notebook_path),
        "title": pages.page_title(notebook, notebook_path),
    }
    # No page needs plotly's lab extension: charts are course.chart_widget.Chart widgets,
    # which fetch plotly.js themselves once the page is up.
    unused = set(pages.UNUSED_IN_VOILA) | {pages.PLOTLY_EXTENSION}
    page_config["federated_extensions"] = [
        ext for ext in page_config.get("federated_extensions", []) if ext.get("name") not in unused
    ]
    return page_config


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "course.voila_hooks"}]


def _link_jupyter_server_extension(server_app) -> None:
    # Linking runs for every extension before any is loaded (jupyter_server's
    # ExtensionManager), so Voila's VoilaConfiguration(parent=server_app) sees it.
    server_app.config.VoilaConfiguration.page_config_hook = page_config_hook


def _load_jupyter_server_extension(server_app) -> None:
    server_app.log.info("sp-course: Voila page hook set (no MathJax from a CDN)")
