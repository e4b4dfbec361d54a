"""Read an export of OHCHR's Special Procedures communications database.

The search page of spcommreports.ohchr.org lets a user download the results as a
spreadsheet with the columns ``Date, Country, Type, Ref. no., Mandates, Summary,
UN Region, OHCHR Region, Nb. of alleged victims, Nb. of replies, Replies``. A
facilitator who has such a file can drop it into ``data/`` as
``ohchr_communications_export.xlsx`` (or ``.csv``) and :func:`load_communications`
will use it instead of the small, biased sample shipped with the course.

The reader returns the column names of ``data/communications_sample.csv`` where
they overlap (``date, addressee, addressee_kind, type, type_family, is_joint,
reference, mandates, mandate_count``) plus ``un_region, ohchr_region,
alleged_victims, replies_count, replies``. Summaries often name alleged victims,
so they are dropped unless the caller asks for them (``keep_summary=True``).

Errors raise :class:`course.data.DataError` naming the file, the row (as the
spreadsheet numbers it, header = row 1) and the column. Nothing here touches the
network.
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from . import data as _data
from .data import DataError
from .safe_text import strip_refused as clean  # programs' data: stray control characters dropped
from .terms import COMM_TYPE_CODES

EXPORT_COLUMNS = (
    "Date", "Country", "Type", "Ref. no.", "Mandates", "Summary", "UN Region",
    "OHCHR Region", "Nb. of alleged victims", "Nb. of replies", "Replies",
)
OUTPUT_COLUMNS = (
    "date", "addressee", "addressee_kind", "type", "type_family", "is_joint", "reference",
    "mandates", "mandate_count", "un_region", "ohchr_region", "alleged_victims",
    "replies_count", "replies",
)
EXPORT_BASENAME = "ohchr_communications_export"
TYPE_FAMILIES = {code: comm_type for comm_type, code in COMM_TYPE_CODES.items()}
MANDATE_SEPARATOR = "; "

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MAX_CELL = 64 * 1024 * 1024
_NONE_MARKERS = {"", "-", "–", "—", "n/a", "N/A"}


def type_family(code: str) -> str:
    """``"JUA"`` -> ``"urgent_appeal"``; raises ``ValueError`` for an unknown code."""
    code = code.strip().upper()
    base = code[1:] if code.startswith("J") and len(code) == 3 else code
    if base not in TYPE_FAMILIES:
        raise ValueError(f"{code!r} is not a communication type (AL, UA, OL, or JAL, JUA, JOL)")
    return TYPE_FAMILIES[base]


def _header_name(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return " ".join(text.replace("\ufeff", "").split())


def _looks_chinese(text: str) -> bool:
    """Whether GB18030-decoded text reads as Chinese rather than as accented Latin text.

    Windows-1252 bytes often decode as GB18030 too ("é" + a letter is a rare
    character there). Common Chinese characters (GB2312) have both bytes at 0xA1 or
    above; an accented Latin letter followed by an ASCII letter never does.
    """
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return False
    common = 0
    for ch in wide:
        encoded = ch.encode("gb18030")
        common += len(encoded) == 2 and encoded[0] >= 0xA1 and encoded[1] >= 0xA1
    return common >= 0.9 * len(wide)


def decode_csv_bytes(raw: bytes, shown: str) -> tuple[str, str]:
    """Text of a CSV file as spreadsheet programs save it, and the encoding used.

    Excel's "CSV UTF-8" writes UTF-8 with a byte-order mark; its "Unicode text"
    writes UTF-16 (little-endian, with a mark) separated by tabs; plain "CSV" in a
    Chinese locale writes GB18030/GBK, in a Western locale Windows-1252. The mark
    decides first; then UTF-8 (strict), then GB18030 (a superset of GBK and
    GB2312) when the bytes are valid GB18030 and hold Chinese characters.
    Raises :class:`DataError` naming the row of the first byte no encoding explains.
    """
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif len(raw) >= 4 and raw[1:4:2] == b"\0\0" and raw[0] and raw[2]:  # UTF-16-LE without a mark
        encoding = "utf-16-le"
    else:
        encoding = "utf-8"
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        first_error = exc
    if encoding == "utf-8":
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            if _looks_chinese(text):
                return text, "gb18030"
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    row = raw.count(b"\n", 0, first_error.start) + 1
    raise DataError(f"{shown}, row {row}: cannot read the text (byte 0x{raw[first_error.start]:02x} is not "
                    f"{encoding}, GB18030 or Windows-1252); export the file again as CSV UTF-8") from first_error


def _rows_from_csv(path: Path, shown: str) -> list[tuple[int, list]]:
    raw = path.read_bytes()
    text, _ = decode_csv_bytes(raw, shown)
    text = text.lstrip("\ufeff")
    if text.startswith("sep=") and "\n" in text:  # Excel's hint line: "sep=;"
        hint, text = text.split("\n", 1)
        hinted = hint[4:5]
    else:
        hinted = ""
    first_line = text.split("\n", 1)[0]
    # The delimiter is the one that splits the header into the most known columns
    # (Excel in some locales saves CSV with semicolons, "Unicode text" with tabs);
    # summaries never decide it.
    delimiter = hinted or max((",", ";", "\t", "|"), key=lambda d: sum(
        _header_name(cell) in EXPORT_COLUMNS for cell in next(csv.reader([first_line], delimiter=d), [])))
    # Summaries can be long; the csv module's default cap (128 KiB a cell) is raised.
    if csv.field_size_limit() < _MAX_CELL:
        csv.field_size_limit(_MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        # Rows are numbered as a spreadsheet program shows them: one per record, even
        # when a quoted cell spans several lines of the file.
        for number, record in enumerate(reader, start=1):
            rows.append((number, record))
    except csv.Error as exc:
        raise DataError(f"{shown}, row {reader.line_num}: not a readable CSV file ({exc})") from exc
    return rows


def _rows_from_xlsx(path: Path, shown: str) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DataError(f"{shown}: not a readable .xlsx file ({type(exc).__name__}: {exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        # Read-only mode trusts the sheet's declared dimension; WPS Office and some
        # other writers declare "A1" for a full sheet (pandas-dev/pandas#39001), and
        # openpyxl then yields one cell. Forget the declaration and read every row.
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        return [(index, list(values)) for index, values in
                enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _parse_date(value: object, where: str):
    if isinstance(value, datetime):
        return pd.Timestamp(value.date())
    if isinstance(value, date):
        return pd.Timestamp(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value) and 1 <= value < 2958466:  # Excel serial day numbers
            return pd.Timestamp((_EXCEL_EPOCH + timedelta(days=int(value))).date())
        raise DataError(f"{where}: {value!r} is not a date")
    text = _header_name(value)
    if text.isdigit():
        return _parse_date(int(text), where)
    for pattern, order in ((_DMY, "dmy"), (_ISO, "ymd")):
        match = pattern.match(text)
        if match:
            parts = [int(part) for part in match.groups()[:3]]
            day, month, year = parts if order == "dmy" else parts[::-1]
            try:
                return pd.Timestamp(date(year, month, day))
            except ValueError:
                break
    raise DataError(f"{where}: {text!r} is not a date (expected dd/mm/yyyy or yyyy-mm-dd)")


def _parse_count(value: object, where: str):
    if value is None:
        return pd.NA
    if isinstance(value, bool):
        raise DataError(f"{where}: {value!r} is not a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise DataError(f"{where}: {value!r} is not a count (it is negative)")
        return value
    text = _header_name(value)
    if text in _NONE_MARKERS:
        return pd.NA
    if not text.isdigit():
        raise DataError(f"{where}: {text!r} is not a whole number")
    return int(text)


def _split_mandates(value: object) -> list[str]:
    text = clean(value)
    if "\n" in text or ";" in text:
        parts = re.split(r"[;\n]", text)
    else:
        parts = text.split(",")
    return [" ".join(part.split()) for part in parts if part.strip()]


def read_communications_export(path: str | Path, keep_summary: bool = False) -> pd.DataFrame:
    """Read an OHCHR communications export (.xlsx or .csv) into the sample's column layout.

    Header cells may carry surrounding spaces or a byte-order mark; extra columns are
    ignored; dates may be dd/mm/yyyy, ISO or Excel dates. ``Summary`` is returned
    as ``summary`` only when ``keep_summary`` is true: it may name alleged victims,
    so escape it (``course.safe_text``) wherever it is shown.
    """
    path = Path(path)
    shown = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    if not path.exists():
        raise DataError(f"{shown}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _rows_from_csv(path, shown)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _rows_from_xlsx(path, shown)
    else:
        raise DataError(f"{shown}: expected a .xlsx or .csv file, got {path.suffix or 'no extension'!r}")

    rows = [(number, cells) for number, cells in rows
            if any(cell not in (None, "") and _header_name(cell) for cell in cells)]
    if not rows:
        raise DataError(f"{shown}, row 1: the file is empty (a header row is required)")
    header_row, header_cells = rows[0]
    header = [_header_name(cell) for cell in header_cells]
    missing = [column for column in EXPORT_COLUMNS if column not in header]
    if missing:
        raise DataError(f"{shown}, row {header_row}, column {missing[0]}: missing column "
                        f"(an OHCHR export has: {', '.join(EXPORT_COLUMNS)})")
    position = {column: header.index(column) for column in EXPORT_COLUMNS}

    out: dict[str, list] = {column: [] for column in OUTPUT_COLUMNS}
    summaries: list[str] = []
    for number, cells in rows[1:]:
        cells = list(cells) + [None] * (len(header) - len(cells))

        # Bound as defaults: each helper reads this row's values, not the loop's latest.
        def cell(column: str, cells: list = cells):
            return cells[position[column]]

        def where(column: str, number: int = number) -> str:
            return f"{shown}, row {number}, column {column}"

        raw_type = _header_name(cell("Type")).upper()
        try:
            family = type_family(raw_type)
        except ValueError as exc:
            raise DataError(f"{where('Type')}: {exc}") from None
        reference = _header_name(clean(cell("Ref. no.")))
        if not reference:
            raise DataError(f"{where('Ref. no.')}: a reference is required")
        addressee = _header_name(clean(cell("Country")))
        if not addressee:
            raise DataError(f"{where('Country')}: an addressee is required")
        mandates = _split_mandates(cell("Mandates"))
        out["date"].append(_parse_date(cell("Date"), where("Date")))
        out["addressee"].append(addressee)
        out["addressee_kind"].append("non_state" if reference.upper().startswith("OTH") else "state")
        out["type"].append(raw_type)
        out["type_family"].append(family)
        out["is_joint"].append(raw_type.startswith("J") and len(raw_type) == 3)
        out["reference"].append(reference)
        out["mandates"].append(MANDATE_SEPARATOR.join(mandates))
        out["mandate_count"].append(len(mandates))
        out["un_region"].append(_header_name(clean(cell("UN Region"))) or None)
        out["ohchr_region"].append(_header_name(clean(cell("OHCHR Region"))) or None)
        out["alleged_victims"].append(_parse_count(cell("Nb. of alleged victims"), where("Nb. of alleged victims")))
        out["replies_count"].append(_parse_count(cell("Nb. of replies"), where("Nb. of replies")))
        out["replies"].append(clean(cell("Replies")).strip() or None)
        if keep_summary:
            summaries.append(clean(cell("Summary")))

    frame = pd.DataFrame({
        "date": pd.to_datetime(pd.Series(out["date"], dtype="object")),
        **{column: pd.array(out[column], dtype="string")
           for column in ("addressee", "addressee_kind", "type", "type_family", "reference", "mandates")},
        "is_joint": pd.array(out["is_joint"], dtype=bool),
        "mandate_count": pd.array(out["mandate_count"], dtype="Int64"),
        "un_region": pd.array(out["un_region"], dtype="string"),
        "ohchr_region": pd.array(out["ohchr_region"], dtype="string"),
        "alleged_victims": pd.array(out["alleged_victims"], dtype="Int64"),
        "replies_count": pd.array(out["replies_count"], dtype="Int64"),
        "replies": pd.array(out["replies"], dtype="string"),
    })[list(OUTPUT_COLUMNS)]
    if keep_summary:
        frame["summary"] = pd.array(summaries, dtype="string")
    frame.attrs["path"] = shown
    return frame


def find_export(data_dir: str | Path | None = None) -> Path | None:
    """``data/ohchr_communications_export.xlsx`` (preferred) or ``.csv`` if present."""
    folder = Path(data_dir) if data_dir is not None else _data.DATA_DIR
    for suffix in (".xlsx", ".csv"):
        candidate = folder / f"{EXPORT_BASENAME}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def load_communications(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The full OHCHR export if one is in ``data/``, else the course's small sample.

    ``frame.attrs["source_kind"]`` is ``"full_export"`` or ``"sample"``;
    ``frame.attrs["biased_sample"]`` is True for the sample, which only holds 42
    business-related communications and must be labelled as such wherever shown.
    """
    export = find_export(data_dir)
    if export is not None:
        frame = read_communications_export(export)
        frame.attrs.update(source_kind="full_export", biased_sample=False, path=str(export))
        return frame
    frame = _data.load("communications_sample", data_dir)
    frame.attrs.update(source_kind="sample", biased_sample=True,
                       citation=_data.citation("communications_sample", data_dir))
    return frame
