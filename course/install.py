"""Put the course's Voila template where Voila finds it (``<prefix>/share/jupyter``).

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


def main() -> int:
    target = install_template()
    print(f"Voila template '{TEMPLATE_NAME}' installed in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
