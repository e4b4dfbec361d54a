#!/usr/bin/env python3
"""Derive data/mandate_resolutions.csv (and the resolution columns of data/mandates.csv)
from the Human Rights Council voting records of lszoszk/hrc-voting.

    python scripts/derive_mandate_resolutions.py [SHARED_DIR]

SHARED_DIR defaults to ``../shared`` beside the repository (the folder holding
``ohchr-raw/``). The output is deterministic: running the script twice gives the
same bytes, and ``tests/test_data_derive.py`` re-derives it and compares.

The rule (documented in data/README.md):

1. keep rows whose ``body`` is "Human Rights Council" and whose ``symbol`` is a
   final resolution (``A/HRC/RES/...``);
2. keep a resolution when its title names a Special Procedures mandate: it
   contains "mandate of", or it starts (after an optional "Topic :" prefix) with
   "Special Rapporteur", "Independent Expert" or one of the two Special Procedures
   working groups titled that way ("Working Group on the issue of human rights and
   transnational corporations ...", "Working Group on the rights of peasants ...");
3. drop titles about bodies that are not Special Procedures (intergovernmental or
   open-ended working groups, the Expert Mechanism on the Rights of Indigenous
   Peoples, commissions of inquiry, teams or groups of experts, the International
   Independent Expert Mechanism on racial justice in law enforcement), follow-ups
   to a report, the Code of Conduct and the review of mandates;
4. map each kept title to one ``mandate_id`` of data/mandates.csv with the
   patterns in ``MANDATE_PATTERNS``; a kept title that no pattern matches stops
   the script, so nothing is silently dropped.

Resolutions whose title does not name the mandate (for example "Arbitrary
detention", "Situation of human rights in Belarus") are NOT in the table even when
they renew a mandate: the voting records do not say so, and we do not guess.
Rows that mention an expert or working group but fail the rule are written to
data/mandate_resolutions_excluded.csv with the reason.
"""
from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
RAW_RELATIVE = Path("ohchr-raw") / "lszoszk__hrc-voting" / "resolutions.csv"
COMMIT_SHORT = "193f2d4"
SOURCE_TEMPLATE = "lszoszk/hrc-voting resolutions.csv @" + COMMIT_SHORT + ", record {record_id}"

OUTPUT_COLUMNS = [
    "record_id", "symbol", "date", "year", "session", "title", "mandate_id", "mandate_name",
    "kind", "vote_type", "vote_type_raw", "yes", "no", "abstain", "record_url", "source",
]
EXCLUDED_COLUMNS = ["record_id", "symbol", "date", "title", "reason", "source"]
MANDATE_RESOLUTION_COLUMNS = ("first_resolution", "last_resolution", "resolution_count")

_EXCLUDE = [
    (re.compile(r"intergovernmental"), "intergovernmental working group, not a Special Procedure"),
    (re.compile(r"open-ended"), "open-ended working group, not a Special Procedure"),
    (re.compile(r"expert mechanism"), "expert mechanism, not a Special Procedure"),
    (re.compile(r"commission of inquiry"), "commission of inquiry, not a Special Procedure"),
    (re.compile(r"team of international experts|group of experts on the situation"),
     "team or group of experts, not a Special Procedure"),
    (re.compile(r"committee of independent experts"), "committee of experts, not a Special Procedure"),
    (re.compile(r"follow-up to the report"), "follow-up to a report, not a mandate resolution"),
    (re.compile(r"code of conduct"), "Code of Conduct, not a mandate resolution"),
    (re.compile(r"review of mandates"), "review of all mandates, not one mandate"),
    (re.compile(r"working group (of the commission|on indigenous populations)|informal meeting"),
     "working group of the former Commission, not a Special Procedure"),
]
_CANDIDATE = re.compile(r"rapporteur|independent expert|working group|mandate|expert")
_INCLUDE = re.compile(
    r"\bmandate of\b"
    r"|^(?:[^:]+:\s*)?(?:the\s+)?(?:special rapporteur|independent expert"
    r"|working group on the issue of human rights and transnational corporations"
    r"|working group on the rights of peasants)"
)

# Order matters: the first pattern that matches wins.
MANDATE_PATTERNS: list[tuple[str, re.Pattern]] = [
    (mandate_id, re.compile(pattern)) for mandate_id, pattern in [
        ("human-rights-defenders", r"situation of human rights defenders"),
        ("country-sudan", r"situation of human rights in the sudan"),
        ("country-myanmar", r"situation of human rights in myanmar"),
        ("counter-terrorism", r"while countering terrorism"),
        ("freedom-of-expression", r"freedom of opinion and expression"),
        ("slavery", r"contemporary forms of slavery"),
        ("trafficking", r"trafficking in persons"),
        ("internally-displaced-persons", r"internally displaced persons"),
        ("indigenous-peoples", r"indigenous peop"),
        ("food", r"right to food"),
        ("toxics", r"toxic and dangerous products|hazardous substances and wastes"),
        ("business-and-human-rights", r"transnational corporations"),
        ("racism", r"contemporary forms of racism"),
        ("mercenaries", r"use of mercenaries"),
        ("foreign-debt", r"foreign debt"),
        ("people-of-african-descent", r"people of african descent"),
        ("extrajudicial-executions", r"extrajudicial, summary (?:or|and) arbitrary executions"),
        ("independence-of-judges-lawyers", r"independence of judges and lawyers"),
        ("migrants", r"human rights of migrants"),
        ("international-solidarity", r"international solidarity"),
        ("minority-issues", r"minority issues"),
        ("sale-of-children", r"sale of children|sale and sexual exploitation of children"
                             r"|sale, sexual exploitation and sexual abuse of children"),
        ("cultural-rights", r"cultural rights"),
        ("truth-justice-reparation", r"truth, justice, reparation"),
        ("violence-against-women", r"violence against women"),
        ("torture", r"torture and other cruel"),
        ("disability", r"persons with disabilities"),
        ("democratic-international-order", r"democratic and equitable international order"),
        ("albinism", r"persons with albinism"),
        ("privacy", r"right to privacy"),
        ("climate-change", r"context of climate change"),
        ("sexual-orientation-gender-identity", r"sexual orientation and gender identity"),
        ("environment", r"clean, healthy and sustainable environment"),
        ("discrimination-against-women", r"discrimination against women"),
        ("peasants", r"rights of peasants"),
        ("freedom-of-religion", r"freedom of religion or belief"),
    ]
]

_SYMBOL = re.compile(r"^A/HRC/RES/(S-)?(\d+)/(\d+)")
_TRAILER = re.compile(r"\s*:\s*resolution\s*/\s*$")


class DerivationError(RuntimeError):
    pass


def clean_title(raw: str) -> str:
    """The catalogue title without the trailing " : resolution /" and with single spaces."""
    return " ".join(_TRAILER.sub("", raw).split())


def classify(title: str) -> tuple[str | None, str | None]:
    """(mandate_id, None) for a kept title, (None, reason) for an excluded candidate,
    (None, None) for a title that does not concern an expert at all."""
    low = clean_title(title).lower()
    if not _CANDIDATE.search(low):
        return None, None
    for pattern, reason in _EXCLUDE:
        if pattern.search(low):
            return None, reason
    if not _INCLUDE.search(low):
        return None, "title does not name a Special Procedures mandate"
    for mandate_id, pattern in MANDATE_PATTERNS:
        if pattern.search(low):
            return mandate_id, None
    raise DerivationError(f"title names a mandate but no pattern maps it: {title!r}")


def vote_type(raw: str) -> str:
    value = raw.strip().upper()
    if value == "ADOPTED WITHOUT VOTE":
        return "without_vote"
    if value == "RECORDED":
        return "recorded"
    return "other"


def _int_or_empty(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    number = float(value)
    if number != int(number):
        raise DerivationError(f"vote count {value!r} is not a whole number")
    return str(int(number))


def _sort_key(row: dict) -> tuple:
    match = _SYMBOL.match(row["symbol"])
    number = int(match.group(3)) if match else 0
    return (row["date"], row["session"] or "0", number, int(row["record_id"]))


def _read_mandates(data_dir: Path) -> tuple[list[str], list[dict]]:
    path = data_dir / "mandates.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return buffer.getvalue()


def derive(shared: Path, data_dir: Path) -> dict[str, str]:
    """Return {file name in data/: text} for the three files this script owns or updates."""
    raw_path = Path(shared) / RAW_RELATIVE
    if not raw_path.exists():
        raise FileNotFoundError(f"raw voting records not found: {raw_path}")
    mandate_columns, mandates = _read_mandates(Path(data_dir))
    by_id = {row["mandate_id"]: row for row in mandates}

    kept, excluded = [], []
    with raw_path.open(encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle):
            if raw["body"] != "Human Rights Council" or "/RES/" not in raw["symbol"]:
                continue
            mandate_id, reason = classify(raw["title"])
            source = SOURCE_TEMPLATE.format(record_id=raw["record_id"])
            if reason:
                excluded.append({
                    "record_id": raw["record_id"], "symbol": raw["symbol"], "date": raw["date"],
                    "title": clean_title(raw["title"]), "reason": reason, "source": source,
                })
            if not mandate_id:
                continue
            if mandate_id not in by_id:
                raise DerivationError(f"{mandate_id!r} is not in data/mandates.csv")
            match = _SYMBOL.match(raw["symbol"])
            if not match:
                raise DerivationError(f"unexpected symbol {raw['symbol']!r} (record {raw['record_id']})")
            kept.append({
                "record_id": raw["record_id"],
                "symbol": raw["symbol"],
                "date": raw["date"],
                "year": raw["date"][:4],
                "session": "" if match.group(1) else match.group(2),
                "title": clean_title(raw["title"]),
                "mandate_id": mandate_id,
                "mandate_name": by_id[mandate_id]["name_en"],
                "kind": by_id[mandate_id]["kind"],
                "vote_type": vote_type(raw["vote_type"]),
                "vote_type_raw": raw["vote_type"].strip(),
                "yes": _int_or_empty(raw["yes"]),
                "no": _int_or_empty(raw["no"]),
                "abstain": _int_or_empty(raw["abstain"]),
                "record_url": raw["record_url"].strip(),
                "source": source,
            })

    kept.sort(key=_sort_key)
    excluded.sort(key=lambda row: (row["date"], int(row["record_id"])))

    for row in mandates:
        own = [r for r in kept if r["mandate_id"] == row["mandate_id"]]
        row["first_resolution"] = own[0]["symbol"] if own else ""
        row["last_resolution"] = own[-1]["symbol"] if own else ""
        row["resolution_count"] = str(len(own))
    missing = [c for c in MANDATE_RESOLUTION_COLUMNS if c not in mandate_columns]
    if missing:
        raise DerivationError(f"data/mandates.csv lacks the columns {missing}")

    return {
        "mandate_resolutions.csv": _write_csv(OUTPUT_COLUMNS, kept),
        "mandate_resolutions_excluded.csv": _write_csv(EXCLUDED_COLUMNS, excluded),
        "mandates.csv": _write_csv(mandate_columns, mandates),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0]) if args else DEFAULT_SHARED
    data_dir = REPO / "data"
    try:
        outputs = derive(shared, data_dir)
    except (FileNotFoundError, DerivationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, text in outputs.items():
        (data_dir / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote data/{name} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
