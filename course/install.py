"""Put the course's Jupyter configuration where every server of this environment reads it.

Run once after installing the package (``make`` and Binder's postBuild do it)::

    python -m course.install                 # this environment (= --sys-prefix)
    python -m course.install --hub           # ... on a JupyterHub: participants get no formgrader
    python -m course.install --facilitator --course ~/sp-workshop   # as the facilitator, on a hub

What goes where (``<prefix>`` is the environment, ``sys.prefix`` unless ``--prefix``):

- ``<prefix>/share/jupyter/voila/templates/sp-course/``: the Voila template (no CDN), with
  plotly.js from the installed plotly package in its ``static/`` folder (course.chart_widget).
- ``<prefix>/etc/jupyter/``: every file under ``course/jupyter_config/``. Today:
  ``jupyter_server_config.json`` (merged into the environment's file: Voila's
  settings inside JupyterLab, i.e. template, no sources, no tracebacks, deny list;
  kernel culling for every Jupyter Server) and
  ``jupyter_server_config.d/sp-course.json`` (enables the server extension
  :mod:`course.voila_hooks`). Jupyter Server reads a ``.d`` folder only for
  ``jpserver_extensions``; every other setting must be in
  ``jupyter_server_config.json``. Every user's server reads the environment's
  ``etc/jupyter``, so a hub user's server gets them without anything in their
  home. To add a server setting, edit that JSON file: nothing here changes.
- with ``--hub``: nbgrader's Formgrader and Create Assignment extensions are
  disabled for the whole environment, as nbgrader's documentation describes
  ("Disabling extensions"): ``labconfig/page_config.json`` and
  ``jupyter_server_config.d/sp-course-hub.json``.
- with ``--facilitator``: they are enabled again for the current user only
  (``~/.jupyter``, the ``--level=user`` of ``jupyter labextension enable``), and
  ``~/.jupyter/nbgrader_config.py`` points nbgrader and the formgrader at the
  course folder, so the formgrader finds it whatever folder the server starts in.

An editable install does not copy data files, so this step is explicit rather than
hidden in packaging. Files the course did not write are never overwritten.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

TEMPLATE_NAME = "sp-course"
SOURCE = Path(__file__).parent / "templates" / TEMPLATE_NAME
CONFIG_SOURCE = Path(__file__).parent / "jupyter_config"

MARKER = "# Written by `python -m course.install` (sp-course)."
# nbgrader's instructor-only extensions (nbgrader docs, "Disabling extensions").
FACILITATOR_LAB_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment")
FACILITATOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader",)
HUB_SERVER_CONFIG = "sp-course-hub.json"


def template_target(prefix: str | Path = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE_NAME


def install_template(prefix: str | Path = sys.prefix) -> Path:
    """Copy the course's Voila template to ``<prefix>/share/jupyter/voila/templates/sp-course``,
    with the installed plotly's ``plotly.min.js`` in its ``static/`` folder (served from
    there to :class:`course.chart_widget.Chart`, never from a CDN). Returns the folder.
    Raises ``FileNotFoundError`` if the plotly package lacks its ``plotly.min.js``."""
    from .chart_widget import plotly_file_name

    target = template_target(prefix)
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SOURCE, target)
    (target / "static").mkdir(exist_ok=True)
    shutil.copyfile(_plotly_bundle(), target / "static" / plotly_file_name())
    return target


def _plotly_bundle() -> Path:
    import plotly

    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not bundle.is_file():
        raise FileNotFoundError(f"{bundle}: plotly {plotly.__version__} was installed without its plotly.min.js")
    return bundle


def config_target(prefix: str | Path = sys.prefix) -> Path:
    """``<prefix>/etc/jupyter``: the environment's Jupyter configuration folder."""
    return Path(prefix) / "etc" / "jupyter"


# Loaded by standalone Voila (`voila .`, `voila modules/zh/home.ipynb`) from the
# environment's etc/jupyter: the page hook that course.voila_hooks sets inside Jupyter Server
# (voila.json cannot name a function). Not in the repository root: a voila.py there would shadow the voila
# package for `python -m voila`.
VOILA_CONFIG = MARKER + """
# --- Light pages (issue 11) ---------------------------------------------------------
from course.voila_hooks import page_config_hook

c.VoilaConfiguration.page_config_hook = page_config_hook
c.Voila.tornado_settings = {"compress_response": True, "websocket_compression_options": {}}
"""


def config_files() -> list[Path]:
    """The course's configuration files, relative to ``etc/jupyter``."""
    return sorted(p.relative_to(CONFIG_SOURCE) for p in CONFIG_SOURCE.rglob("*") if p.is_file())


def install_config(prefix: str | Path = sys.prefix) -> list[Path]:
    """Put every file of ``course/jupyter_config/`` into ``<prefix>/etc/jupyter/``; returns the targets.

    Files in a ``*.d`` folder belong to the course and are copied. Other JSON files
    (``jupyter_server_config.json``) may hold other packages' settings too: the
    course's sections are merged into them, overriding the same keys only.
    """
    base = config_target(prefix)
    written = []
    for relative in config_files():
        target = base / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.suffix == ".json" and not relative.parent.name.endswith(".d"):
            _merge_json(target, json.loads((CONFIG_SOURCE / relative).read_text(encoding="utf-8")))
        else:
            shutil.copyfile(CONFIG_SOURCE / relative, target)
        target.chmod(0o644)  # every hub user's server must read it
        written.append(target)
    _remove_old_server_config(base)
    return written


def _remove_old_server_config(base: Path) -> None:
    """Earlier versions wrote ``jupyter_server_config.py``; the JSON file replaces it."""
    old = base / "jupyter_server_config.py"
    if old.exists() and MARKER in old.read_text(encoding="utf-8"):
        old.unlink()


def _merge_json(path: Path, update: dict) -> Path:
    """Merge ``update`` (two levels deep) into the JSON file at ``path``, keeping other settings."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() and path.stat().st_size else {}
    for key, value in update.items():
        if isinstance(value, dict):
            section = data.setdefault(key, {})
            for inner, inner_value in value.items():
                if isinstance(inner_value, dict):
                    section.setdefault(inner, {}).update(inner_value)
                else:
                    section[inner] = inner_value
        else:
            data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def _extension_settings(config_dir: Path, enabled: bool, server_file: str) -> list[Path]:
    lab = _merge_json(config_dir / "labconfig" / "page_config.json",
                      {"disabledExtensions": {name: not enabled for name in FACILITATOR_LAB_PLUGINS}})
    server = _merge_json(config_dir / server_file,
                         {"ServerApp": {"jpserver_extensions": {name: enabled for name in FACILITATOR_SERVER_EXTENSIONS}}})
    for path in (lab, server):
        path.chmod(0o644)
    return [lab, server]


def install_hub(prefix: str | Path = sys.prefix) -> list[Path]:
    """Hide the formgrader and Create Assignment from every user of the environment (participants)."""
    base = config_target(prefix)
    return _extension_settings(base, False, f"jupyter_server_config.d/{HUB_SERVER_CONFIG}")


def facilitator_nbgrader_config(course: Path) -> str:
    course = Path(course).expanduser().resolve()
    return (f"{MARKER}\n"
            "# The formgrader and nbgrader's commands use the course folder, wherever the server starts.\n"
            f"load_subconfig({str(course / 'nbgrader_config.py')!r})\n"
            f"c.CourseDirectory.root = {str(course)!r}\n")


def install_facilitator(course: str | Path, config_dir: str | Path | None = None) -> list[Path]:
    """For the current user: the formgrader and Create Assignment back, nbgrader pointed at ``course``.

    ``config_dir`` is the user's Jupyter folder (default ``jupyter_config_dir()``, i.e.
    ``~/.jupyter`` or ``$JUPYTER_CONFIG_DIR``). Raises ``SystemExit`` when ``course``
    holds no ``nbgrader_config.py`` (run ``sp-facilitator setup`` first) or when a
    ``nbgrader_config.py`` the course did not write is in the way.
    """
    from jupyter_core.paths import jupyter_config_dir

    course = Path(course).expanduser().resolve()
    if not (course / "nbgrader_config.py").exists():
        raise SystemExit(f"{course} is not a course folder (no nbgrader_config.py): "
                         f"run `sp-facilitator setup --course {course}` first")
    base = Path(config_dir or jupyter_config_dir())
    target = base / "nbgrader_config.py"
    if target.exists() and MARKER not in target.read_text(encoding="utf-8"):
        raise SystemExit(f"{target} exists and was not written by the course: add these lines to it:\n"
                         + facilitator_nbgrader_config(course))
    written = _extension_settings(base, True, "jupyter_server_config.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(facilitator_nbgrader_config(course), encoding="utf-8")
    return [*written, target]


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


def build_parser(add_help: bool = True) -> argparse.ArgumentParser:
    """The options of ``python -m course.install`` (also those of ``sp-course install``)."""
    parser = argparse.ArgumentParser(prog="python -m course.install", add_help=add_help,
                                     description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sys-prefix", action="store_true",
                       help="install into this Python environment (the default)")
    where.add_argument("--prefix", help="install into another environment's prefix")
    parser.add_argument("--hub", action="store_true",
                        help="a JupyterHub: disable nbgrader's formgrader and create-assignment for everyone")
    parser.add_argument("--facilitator", action="store_true",
                        help="for the current user only: enable them again and point nbgrader at --course")
    parser.add_argument("--course", help="with --facilitator: the course folder made by `sp-facilitator setup`")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.facilitator:
        if not args.course:
            raise SystemExit("--facilitator needs --course (the folder made by `sp-facilitator setup`)")
        for path in install_facilitator(args.course):
            print(f"Facilitator settings written: {path}")
        return 0
    prefix = args.prefix or sys.prefix
    print(f"Voila template '{TEMPLATE_NAME}' installed in {install_template(prefix)}")
    for path in install_config(prefix):
        print(f"Jupyter configuration installed: {path}")
    print(f"Standalone Voila settings installed: {install_voila_config(prefix)}")
    if args.hub:
        for path in install_hub(prefix):
            print(f"Participants' settings (no formgrader, no create-assignment): {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
