"""Keep each English notebook and its Chinese counterpart in step.

Two checks, both run by the test suite:

* **Structure**: the same cells in the same order, with the same cell types, the
  same heading levels and the same code (the language literal aside).
* **Sync record**: each notebook records, in ``metadata.sp_course.counterpart``,
  a hash of the counterpart's content when the pair was last reviewed together.
  Editing one side alone breaks the record, so the test names the side to update.

After updating both sides of a pair:  ``python -m course.parity sync [PATH ...]``
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PAIRS_ROOT = ROOT / "modules"
_LANG_LITERAL = re.compile(r"""(["'])(zh|en)\1""")
_HEADING = re.compile(r"^(#{1,6})\s+\S", re.MULTILINE)


@dataclass(frozen=True)
class Pair:
    en: Path
    zh: Path


def pairs(root: Path = PAIRS_ROOT) -> list[Pair]:
    """Every ``en/…ipynb`` with its ``zh/…ipynb`` (a missing side is reported by :func:`check`)."""
    found = set()
    for lang in ("en", "zh"):
        for path in (root / lang).rglob("*.ipynb"):
            if ".ipynb_checkpoints" not in path.parts:
                found.add(path.relative_to(root / lang))
    return [Pair(root / "en" / rel, root / "zh" / rel) for rel in sorted(found)]


def _cells(path: Path):
    return nbformat.read(path, as_version=4).cells


def structure(path: Path) -> list[tuple]:
    """What must match between languages: cell type, heading levels, language-neutral code."""
    shape: list[tuple] = []
    for cell in _cells(path):
        if cell.cell_type == "markdown":
            shape.append(("markdown", tuple(len(m.group(1)) for m in _HEADING.finditer(cell.source))))
        elif cell.cell_type == "code":
            code = _LANG_LITERAL.sub(r"\1LANG\1", cell.source.strip())
            shape.append(("code", code))
        else:
            shape.append((cell.cell_type,))
    return shape


def content_hash(path: Path) -> str:
    """Hash of what a translator reads: cell types and sources (not outputs or metadata)."""
    payload = [(cell.cell_type, cell.source) for cell in _cells(path)]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def _recorded(path: Path) -> dict:
    meta = nbformat.read(path, as_version=4).metadata
    return dict(meta.get("sp_course", {}).get("counterpart", {}))


def check(root: Path = PAIRS_ROOT) -> list[str]:
    """Every parity problem, one line each; empty when all pairs match."""
    problems: list[str] = []
    for pair in pairs(root):
        missing = [p for p in (pair.en, pair.zh) if not p.exists()]
        if missing:
            problems.extend(f"{_rel(p)}: missing (its counterpart exists)" for p in missing)
            continue
        en_shape, zh_shape = structure(pair.en), structure(pair.zh)
        if en_shape != zh_shape:
            problems.append(f"{_rel(pair.en)} and {_rel(pair.zh)}: {_first_difference(en_shape, zh_shape)}")
        for this, other in ((pair.en, pair.zh), (pair.zh, pair.en)):
            record = _recorded(this)
            if not record:
                problems.append(f"{_rel(this)}: no sync record; run `python -m course.parity sync {_rel(this)}`")
            elif record.get("sha256") != content_hash(other):
                problems.append(
                    f"{_rel(other)} changed since {_rel(this)} was last synced with it: "
                    f"bring {_rel(this)} up to date, then run `python -m course.parity sync {_rel(this)}`"
                )
    return problems


def _first_difference(a: list, b: list) -> str:
    if len(a) != len(b):
        return f"{len(a)} cells in English, {len(b)} in Chinese"
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"cell {index + 1} differs: {x!r:.120} vs {y!r:.120}"
    return "differ"


def sync(paths: list[Path] | None = None, root: Path = PAIRS_ROOT) -> list[str]:
    """Record, on both sides of each pair, the hash of the other side. Returns what was synced."""
    wanted = {p.resolve() for p in paths} if paths else None
    done = []
    for pair in pairs(root):
        if wanted is not None and not ({pair.en.resolve(), pair.zh.resolve()} & wanted):
            continue
        if not (pair.en.exists() and pair.zh.exists()):
            raise FileNotFoundError(f"cannot sync {pair.en} without {pair.zh} (or the reverse)")
        hashes = {pair.en: content_hash(pair.zh), pair.zh: content_hash(pair.en)}
        for path, other in ((pair.en, pair.zh), (pair.zh, pair.en)):
            notebook = nbformat.read(path, as_version=4)
            notebook.metadata.setdefault("sp_course", {})["counterpart"] = {
                "path": str(other.relative_to(root.parent)),
                "sha256": hashes[path],
            }
            nbformat.write(notebook, path)
        done.append(f"synced {_rel(pair.en)} <-> {_rel(pair.zh)}")
    return done


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check or record en/zh notebook parity.")
    parser.add_argument("action", choices=["check", "sync"])
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.action == "sync":
        for line in sync(args.paths or None):
            print(line)
        return 0
    problems = check()
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
