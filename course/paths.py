"""Where the course finds the files it reads at run time. Standard library only.

The tidy tables and their ``datapackage.json`` live in the repository's ``data/``
folder. An installed wheel carries a copy inside the package
(``course/_bundled/data``, written by ``setup.py`` at build time), so the course
also works outside a source checkout. The first of these that holds
``datapackage.json`` wins:

1. the folder named by ``$SP_COURSE_DATA`` (used as given, even if it is wrong,
   so that a mistake shows up as an error naming it);
2. ``course/_bundled/data`` (a wheel install);
3. ``data/`` next to the ``course`` package (a source checkout, editable install).

    >>> data_dir().joinpath("datapackage.json").is_file()
    True
"""
from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "SP_COURSE_DATA"
DESCRIPTOR = "datapackage.json"
PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DATA = PACKAGE_DIR / "_bundled" / "data"
CHECKOUT_DATA = PACKAGE_DIR.parent / "data"


def data_candidates() -> list[Path]:
    """The folders :func:`data_dir` considers, in order."""
    explicit = os.environ.get(DATA_ENV)
    if explicit:
        return [Path(explicit).expanduser()]
    return [BUNDLED_DATA, CHECKOUT_DATA]


def data_dir() -> Path:
    """The folder holding ``datapackage.json`` and the tables; the last candidate if none does.

    Never raises: a missing folder is reported by ``course.data`` when a table is
    read, with :func:`not_found_hint` in the message.
    """
    candidates = data_candidates()
    for folder in candidates:
        if (folder / DESCRIPTOR).is_file():
            return folder
    return candidates[-1]


def not_found_hint() -> str:
    """English text for facilitators and maintainers: where the tables were looked for, how to point at them."""
    looked = ", ".join(str(folder) for folder in data_candidates())
    return (f"the course's data tables were not found (looked in {looked}); "
            f"install the course from a wheel or a source checkout, or set {DATA_ENV} "
            f"to the folder that holds {DESCRIPTOR}")
