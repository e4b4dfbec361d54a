"""Hooks that Jupyter Server loads for the course (see :mod:`course.install`).

Inside JupyterLab, Voila's page configuration names a public CDN for MathJax and
its front end fetches it on every page, even without mathematics. The course has
no mathematics and must contact no third party, so MathJax is switched off there;
standalone Voila already leaves it off.
"""
from __future__ import annotations


def page_config_hook(page_config: dict, **_kwargs) -> dict:
    # Voila's front end loads MathJax (from the CDN if no URL is set) unless *both* are null.
    page_config["fullMathjaxUrl"] = None
    page_config["mathjaxConfig"] = None
    return page_config
