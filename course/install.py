"""Put the course's Voila template and server settings where Jupyter finds them.

Run once after installing the package (`make` and Binder's postBuild do it):
``python -m course.install``. An editable install does not copy data files, so
this step is explicit rather than hidden in packaging.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

TEMPLATE_NAME = "sp-course"
SOURCE = Path(__file__).parent / "templates" / TEMPLATE_NAME


def template_target(prefix: str | Path = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE_NAME


def install_template(prefix: str | Path = sys.prefix) -> Path:
    target = template_target(prefix)
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SOURCE, target)
    return target


MARKER = "# Written by `python -m course.install` (sp-course)."
# Loaded by every Jupyter Server of this environment: inside JupyterLab, Voila's pages
# would otherwise fetch MathJax from a public CDN (see course.voila_hooks).
SERVER_CONFIG = MARKER + """
from course.voila_hooks import page_config_hook

c.VoilaConfiguration.page_config_hook = page_config_hook
""" + """
# --- Light pages and freed kernels (issue 11) ---------------------------------------
# gzip every response (Tornado's own transform): about 10 MB a page becomes about 3 MB.
c.ServerApp.tornado_settings.update({"compress_response": True})
# Compressed websocket messages (permessage-deflate): a page's widget state arrives within
# ipywidgets' 4 s deadline on slow links, so it is not fetched a second time, model by model.
c.ServerApp.websocket_compression_options = {}
# Closing a page frees its kernel through Voila's shutdown beacon (the sp-course template
# gives the beacon its _xsrf cookie). Kernels of pages closed without a beacon (crash,
# lost link) go after 10 idle minutes; a page still open keeps its kernel.
# (A free Binder has about 2 GB; a module's kernel holds about 150 MB.)
c.MappingKernelManager.cull_idle_timeout = 600
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False
"""

# Loaded by standalone Voila (`voila .`, `voila modules/zh/home.ipynb`) from the
# environment's etc/jupyter: the same page hook as above (voila.json cannot name a
# function). Not in the repository root: a voila.py there would shadow the voila
# package for `python -m voila`.
VOILA_CONFIG = MARKER + """
# --- Light pages (issue 11) ---------------------------------------------------------
from course.voila_hooks import page_config_hook

c.VoilaConfiguration.page_config_hook = page_config_hook
c.Voila.tornado_settings = {"compress_response": True, "websocket_compression_options": {}}
"""


def server_config_target(prefix: str | Path = sys.prefix) -> Path:
    return Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.py"


def install_server_config(prefix: str | Path = sys.prefix) -> Path:
    """Write the environment's server config, never overwriting one the course did not write."""
    target = server_config_target(prefix)
    if target.exists() and MARKER not in target.read_text(encoding="utf-8"):
        raise SystemExit(f"{target} exists and was not written by the course: add these lines to it:\n{SERVER_CONFIG}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(SERVER_CONFIG, encoding="utf-8")
    return target


def voila_config_target(prefix: str | Path = sys.prefix) -> Path:
    return Path(prefix) / "etc" / "jupyter" / "voila.py"


def install_voila_config(prefix: str | Path = sys.prefix) -> Path:
    """Write standalone Voila's config, never overwriting one the course did not write."""
    target = voila_config_target(prefix)
    if target.exists() and MARKER not in target.read_text(encoding="utf-8"):
        raise SystemExit(f"{target} exists and was not written by the course: add these lines to it:\n{VOILA_CONFIG}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(VOILA_CONFIG, encoding="utf-8")
    return target


def main() -> int:
    target = install_template()
    print(f"Voila template '{TEMPLATE_NAME}' installed in {target}")
    print(f"Jupyter Server settings installed in {install_server_config()}")
    print(f"Voila settings installed in {install_voila_config()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
