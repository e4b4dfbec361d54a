"""Keep the gettext catalogues in step with the source code.

    python -m course.i18n_tools check    # list keys missing, untranslated or stale
    python -m course.i18n_tools update   # add new keys (empty), drop keys no longer used

Keys are extracted from every ``course/**/*.py`` call of ``t(...)``, ``tr(...)``,
``_(...)`` or ``N_(...)`` whose first argument is a literal key.
"""
from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .i18n import KEY_PATTERN, LANGUAGES, LOCALE_DIR, LOCALES, catalogue_path, placeholders

PACKAGE_DIR = Path(__file__).parent
_FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
KEYWORDS = {"t", "tr", "_", "N_"}


def extract_keys(root: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """``{domain: {key, ...}}`` for every message key used in the package source.

    Walks the syntax tree rather than the token stream, so calls inside f-strings,
    lambdas and comprehensions are found too (Babel's tokenizer misses f-strings
    on Python 3.11).
    """
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            first = node.args[0]
            if name in KEYWORDS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                if KEY_PATTERN.match(first.value):
                    found[first.value.split(".", 1)[0]].add(first.value)
    return dict(found)


def catalogue_domains() -> set[str]:
    return {
        path.stem
        for lang in LANGUAGES
        for path in (LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES").glob("*.po")
    }


def _read(path: Path) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def check() -> list[str]:
    """Every problem with the catalogues, one line each; empty when all is well."""
    problems: list[str] = []
    used = extract_keys()
    for domain in sorted(set(used) | catalogue_domains()):
        keys = used.get(domain, set())
        texts: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            path = catalogue_path(lang, domain)
            catalog = _read(path)
            if catalog is None:
                problems.append(f"{path}: catalogue missing ({len(keys)} keys used in course/)")
                continue
            entries = {m.id: m for m in catalog if isinstance(m.id, str) and m.id}
            texts[lang] = {k: m.string for k, m in entries.items() if isinstance(m.string, str)}
            for key in sorted(keys - set(entries)):
                problems.append(f"{path}: {key} is used in course/ but missing from the catalogue")
            for key in sorted(set(entries) - keys):
                problems.append(f"{path}: {key} is stale (no longer used in course/)")
            for key in sorted(keys & set(entries)):
                message = entries[key]
                if not message.string:
                    problems.append(f"{path}: {key} has no translation")
                elif message.fuzzy:
                    problems.append(f"{path}: {key} is marked fuzzy")
        if len(texts) == len(LANGUAGES):
            for key in sorted(keys):
                sets = {lang: placeholders(texts[lang].get(key) or "") for lang in LANGUAGES}
                if all(texts[lang].get(key) for lang in LANGUAGES) and len(
                    {frozenset(s) for s in sets.values()}
                ) > 1:
                    problems.append(f"{domain}: {key} has different placeholders: {sets}")
    return problems


def update(domains: list[str] | None = None) -> list[str]:
    """Add missing keys with empty translations and drop stale ones. Returns what changed.

    ``domains`` limits the update to those catalogues, so people working on
    different tools never rewrite each other's files.
    """
    changes: list[str] = []
    used = extract_keys()
    for domain in sorted(set(used) | catalogue_domains()):
        if domains and domain not in domains:
            continue
        keys = used.get(domain, set())
        for lang in LANGUAGES:
            path = catalogue_path(lang, domain)
            old = _read(path)
            previous = {m.id: m.string for m in old if m.id} if old else {}
            if not keys:
                if path.exists():
                    path.unlink()
                    changes.append(f"removed {path}")
                continue
            # A fixed header date keeps `update` from rewriting unchanged files.
            catalog = Catalog(locale=LOCALES[lang], domain=domain, project="sp-course",
                              version=None, charset="utf-8", fuzzy=False,
                              creation_date=_FIXED_DATE, revision_date=_FIXED_DATE,
                              copyright_holder="Special Procedures course contributors")
            for key in sorted(keys):
                catalog.add(key, previous.get(key, ""))
            added = keys - set(previous)
            dropped = set(previous) - keys
            if added or dropped or old is None:
                changes.append(f"{path}: +{len(added)} -{len(dropped)}")
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=0, omit_header=False, no_location=True,
                         sort_output=True)
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["check", "update"])
    parser.add_argument("--domain", action="append", help="only this catalogue (repeatable)")
    args = parser.parse_args(argv)
    if args.action == "update":
        for line in update(args.domain):
            print(line)
        return 0
    problems = check()
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
