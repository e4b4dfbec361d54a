"""The course's bilingual glossary (``course/content/glossary.csv``) and the term check.

Each row gives the English term, the Chinese term, the source of each (ISHR
Practical Guide chapter/section, an A/HRC/58/70 paragraph, or "course term"),
the variants not to use in either language, and the strings that contain a
banned variant but are allowed (official titles such as 人权维护者处境特别报告员,
or 单元格 "notebook cell" next to the banned 单元).

Exact quotations: a seed may be quoted word for word (for example the report's
函件 or 国别访问) only inside an HTML ``<q>…</q>`` element, which renders as a
quotation in notebooks and Markdown; :func:`strip_quotations` removes such spans
before terms are checked, so a quotation is always visible as one to readers.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "course" / "content" / "glossary.csv"
_QUOTE = re.compile(r"<q\b[^>]*>.*?</q>", re.DOTALL)
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Term:
    id: str
    en: str
    zh: str
    en_source: str
    zh_source: str
    avoid_zh: tuple[str, ...]
    avoid_en: tuple[str, ...]
    exempt_zh: tuple[str, ...]
    note: str


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def load(path: Path = GLOSSARY) -> list[Term]:
    """Every glossary row, in file order. Raises ``ValueError`` on a malformed row."""
    terms = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not all(row.get(k) for k in ("id", "en", "zh", "en_source", "zh_source")):
                raise ValueError(f"glossary row lacks a term or a source: {row}")
            terms.append(Term(row["id"], row["en"], row["zh"], row["en_source"], row["zh_source"],
                              _split(row["avoid_zh"]), _split(row["avoid_en"]),
                              _split(row["exempt_zh"]), row["note"]))
    return terms


def strip_quotations(text: str) -> str:
    """``text`` without its ``<q>…</q>`` spans (exact quotations are checked by check_no_copy, not here)."""
    return _QUOTE.sub(" ", text)


def texts(root: Path = ROOT) -> list[tuple[str, str]]:
    """(label, text) for every piece of learner- or facilitator-facing text the course ships."""
    found: list[tuple[str, str]] = []
    for pattern in ("modules/**/*.ipynb", "solutions/**/*.ipynb", "exercises/**/*.ipynb"):
        for path in sorted(root.glob(pattern)):
            if ".ipynb_checkpoints" in path.parts:
                continue
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            for index, cell in enumerate(cells):
                source = cell["source"]
                found.append((f"{path.relative_to(root)} cell {index}",
                              "".join(source) if isinstance(source, list) else source))
    for pattern in ("course/locale/*/LC_MESSAGES/*.po", "course/content/**/*.json",
                    "course/grading/specs/*.py", "docs/facilitator/**/*.md", "scripts/make_home.py"):
        for path in sorted(root.glob(pattern)):
            found.append((str(path.relative_to(root)), path.read_text(encoding="utf-8")))
    return found


def problems(terms: list[Term], items: list[tuple[str, str]]) -> list[str]:
    """One line per banned variant found, naming the file (and cell) and the preferred term."""
    out = []
    for label, raw in items:
        text = strip_quotations(raw)
        for term in terms:
            zh_text = text
            for allowed in term.exempt_zh:
                zh_text = zh_text.replace(allowed, "□")
            for variant in term.avoid_zh:
                count = zh_text.count(variant)
                if count:
                    out.append(f"{label}: {variant!r} ×{count}; write {term.zh!r} ({term.id})")
            for variant in term.avoid_en:
                hits = re.findall(rf"\b{re.escape(variant)}\b", text, flags=re.IGNORECASE)
                if hits:
                    out.append(f"{label}: {variant!r} ×{len(hits)}; write {term.en!r} ({term.id})")
    return out


def address_forms(items: list[tuple[str, str]]) -> dict[str, int]:
    """How often the course addresses the reader as 你 and as 您 (it must use one only)."""
    joined = "".join(strip_quotations(text) for _, text in items)
    return {"你": joined.count("你"), "您": joined.count("您")}
