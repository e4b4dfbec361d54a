"""Build step that pyproject.toml cannot express: ship the data tables inside the wheel.

The tables live in the repository's ``data/`` folder (outside the ``course``
package, because maintainers, scripts and the Binder image read them there).
A wheel copies them to ``course/_bundled/data/``, where ``course.paths`` finds
them when the course is installed without a source checkout. Editable installs
read ``data/`` in place and get no copy. Everything else is in pyproject.toml.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
# What course.data reads, plus the provenance and licence notes that must travel with the tables.
SHIPPED = ("*.csv", "datapackage.json", "README.md", "NOTICE")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "course" / "_bundled" / "data"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        copied = 0
        for pattern in SHIPPED:
            for source in sorted(DATA.glob(pattern)):
                shutil.copy2(source, target / source.name)
                copied += 1
        if not (target / "datapackage.json").is_file():
            raise RuntimeError(f"no datapackage.json in {DATA}: cannot build a working wheel")
        self.announce(f"bundled {copied} data files into {target}", level=2)


setup(cmdclass={"build_py": BuildPyWithData})
