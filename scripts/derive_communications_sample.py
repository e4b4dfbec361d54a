#!/usr/bin/env python3
"""Derive data/communications_sample.csv from the TruNorth scrape of OHCHR's
communications site (42 communications, 2025-12-01 to 2026-02-27).

    python scripts/derive_communications_sample.py [SHARED_DIR]

SHARED_DIR defaults to ``../shared`` beside the repository. The output is
deterministic and ``tests/test_data_derive.py`` re-derives it byte for byte.

THIS IS A FILTERED, BIASED SAMPLE: the scraper kept only communications whose
summary names a company or that involve the Working Group on business and human
rights. It must never be read as representative of all communications.

Only facts about each letter are kept: OHCHR's id, date, addressee, type,
reference, mandate short names and the public file address. Summaries (which name
alleged victims) and the scraper's own guesses (``named_companies``, ``topic``)
are left out on purpose.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from a checkout
from course.terms import comm_type_of_code  # noqa: E402

DEFAULT_SHARED = REPO.parent / "shared"
RAW_RELATIVE = Path("ohchr-raw") / "aronrosenfield-hash__TruNorth" / "2026-07-12.json"
COMMIT_SHORT = "c3b24eb"
SOURCE_TEMPLATE = "aronrosenfield-hash/TruNorth data/raw/un-bhr/2026-07-12.json @" + COMMIT_SHORT + ", gId {gid}"

OUTPUT_COLUMNS = [
    "gid", "date", "addressee", "addressee_kind", "type", "type_family", "is_joint",
    "reference", "mandates", "mandate_count", "mandate_ids", "source_url", "source",
]
MANDATE_SEPARATOR = "; "
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DerivationError(RuntimeError):
    pass


def type_family(code: str) -> str:
    """``JAL`` -> ``allegation_letter`` (:mod:`course.terms`); raises for an unknown code."""
    try:
        return comm_type_of_code(code)
    except ValueError as exc:
        raise DerivationError(f"unknown communication type {code!r}") from exc


def is_joint(code: str) -> bool:
    code = code.strip().upper()
    return code.startswith("J") and len(code) == 3


def addressee_kind(reference: str) -> str:
    """OHCHR gives references to non-State addressees (companies, banks...) the prefix OTH."""
    return "non_state" if reference.strip().upper().startswith("OTH") else "state"


def _short_name_index(data_dir: Path) -> dict[str, str]:
    with (data_dir / "mandates.csv").open(encoding="utf-8", newline="") as handle:
        return {row["comm_short_name"]: row["mandate_id"] for row in csv.DictReader(handle)
                if row["comm_short_name"]}


def derive(shared: Path, data_dir: Path) -> dict[str, str]:
    raw_path = Path(shared) / RAW_RELATIVE
    if not raw_path.exists():
        raise FileNotFoundError(f"raw communications scrape not found: {raw_path}")
    document = json.loads(raw_path.read_text(encoding="utf-8"))
    index = _short_name_index(Path(data_dir))
    rows = []
    for item in document["communications"]:
        gid = str(item["id"]).strip()
        if not gid.isdigit():
            raise DerivationError(f"gId {gid!r} is not a number")
        if not _DATE.match(item["date"]):
            raise DerivationError(f"gId {gid}: date {item['date']!r} is not ISO")
        mandates = [" ".join(str(m).split()) for m in item["mandates"]]
        unknown = [m for m in mandates if m not in index]
        if unknown:
            raise DerivationError(f"gId {gid}: short names {unknown} are not in data/mandates.csv comm_short_name")
        code = item["type"].strip().upper()
        rows.append({
            "gid": gid,
            "date": item["date"],
            "addressee": " ".join(item["country"].split()),
            "addressee_kind": addressee_kind(item["ref"]),
            "type": code,
            "type_family": type_family(code),
            "is_joint": "true" if is_joint(code) else "false",
            "reference": " ".join(item["ref"].split()),
            "mandates": MANDATE_SEPARATOR.join(mandates),
            "mandate_count": str(len(mandates)),
            "mandate_ids": MANDATE_SEPARATOR.join(index[m] for m in mandates),
            "source_url": item["source_url"].strip(),
            "source": SOURCE_TEMPLATE.format(gid=gid),
        })
    rows.sort(key=lambda row: (row["date"], int(row["gid"])))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return {"communications_sample.csv": buffer.getvalue()}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0]) if args else DEFAULT_SHARED
    data_dir = REPO / "data"
    try:
        outputs = derive(shared, data_dir)
    except (FileNotFoundError, DerivationError, KeyError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, text in outputs.items():
        (data_dir / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote data/{name} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
