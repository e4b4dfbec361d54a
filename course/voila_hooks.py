"""Hooks that Jupyter Server loads for the course (see :mod:`course.install`).

Inside JupyterLab, Voila's page configuration names a public CDN for MathJax and
its front end fetches it on every page, even without mathematics. The course has
no mathematics and must contact no third party, so MathJax is switched off there;
standalone Voila already leaves it off.

This module is a Jupyter Server extension: ``course.install`` enables it in the
environment's ``etc/jupyter/jupyter_server_config.d/sp-course.json``, so every
server of the environment (a hub user's too) sets the hook. ``page_config_hook``
is a Python callable, which a JSON config file cannot hold; the extension puts it
into the server's configuration while extensions are linked, before Voila's
extension is loaded and reads ``VoilaConfiguration``.
"""
from __future__ import annotations


def page_config_hook(page_config: dict, **_kwargs) -> dict:
    # Voila's front end loads MathJax (from the CDN if no URL is set) unless *both* are null.
    page_config["fullMathjaxUrl"] = None
    page_config["mathjaxConfig"] = None
    return page_config


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "course.voila_hooks"}]


def _link_jupyter_server_extension(server_app) -> None:
    # Linking runs for every extension before any is loaded (jupyter_server's
    # ExtensionManager), so Voila's VoilaConfiguration(parent=server_app) sees it.
    server_app.config.VoilaConfiguration.page_config_hook = page_config_hook


def _load_jupyter_server_extension(server_app) -> None:
    server_app.log.info("sp-course: Voila page hook set (no MathJax from a CDN)")
