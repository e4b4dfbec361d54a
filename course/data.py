"""One loader for the tidy tables in ``data/``, validated against ``data/datapackage.json``.

    >>> from course import data
    >>> facts = data.load("sp_facts_2024")
    >>> data.fact("communications_sent")["value"]
    665
    >>> data.fact("communications_sent")["source"]
    'A/HRC/58/70, para. 8'

Every table comes back as a typed :class:`pandas.DataFrame` (dates as
``datetime64``, integers as nullable ``Int64``, numbers as ``float64``,
booleans as ``bool``, text as the pandas ``"string"`` dtype) after checking the
file against its schema: exact column set, required values, types, ``enum``,
``pattern``, ``minimum``/``maximum``, ``unique``, the primary key and foreign
keys. Anything wrong raises :class:`DataError`, whose message names the file, the
row (as numbered in the CSV file, header = row 1) and the column, for example::

    data/sp_facts_2024.csv, row 7, column value: 'abc' is not a number

These messages are for facilitators and maintainers and are in English only.
Plain Python: no widgets, no network.
"""
from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
import threading
from datetime import date
from pathlib import Path

import pandas as pd

from . import paths

# A source checkout's data/, or the copy a wheel carries, or $SP_COURSE_DATA (see course.paths).
DATA_DIR = paths.data_dir()
DESCRIPTOR = paths.DESCRIPTOR
_TRUE = ("true",)
_FALSE = ("false",)
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_cache: dict[tuple, pd.DataFrame] = {}
_descriptor_cache: dict[tuple, dict] = {}
_lock = threading.Lock()


class DataError(ValueError):
    """A data file is missing, unreadable or does not match its schema."""


# --------------------------------------------------------------------------- descriptor

def _data_dir(data_dir: Path | str | None) -> Path:
    return Path(data_dir) if data_dir is not None else DATA_DIR


def _stamp(path: Path) -> tuple:
    stat = path.stat()
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def _package(data_dir: Path | str | None = None) -> dict:
    folder = _data_dir(data_dir)
    path = folder / DESCRIPTOR
    shown = _shown(folder, DESCRIPTOR)
    try:
        key = _stamp(path)
    except FileNotFoundError:
        hint = f" ({paths.not_found_hint()})" if folder == DATA_DIR else ""
        raise DataError(f"{shown}: file not found{hint}") from None
    with _lock:
        if key in _descriptor_cache:
            return _descriptor_cache[key]
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError(f"{shown}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise DataError(f"{shown}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise DataError(f"{shown}: not a data package (no 'resources' list)")
    with _lock:
        _descriptor_cache[key] = package
    return package


def _resource(name: str, data_dir=None) -> dict:
    for resource in _package(data_dir)["resources"]:
        if resource.get("name") == name:
            return resource
    names = ", ".join(list_tables(data_dir))
    raise DataError(f"no table named {name!r} in {DESCRIPTOR} (tables: {names})")


def list_tables(data_dir: Path | str | None = None) -> list[str]:
    """Names of the tables described in ``datapackage.json``, in descriptor order."""
    return [resource["name"] for resource in _package(data_dir)["resources"]]


def describe(name: str, data_dir: Path | str | None = None) -> dict:
    """The descriptor entry of one table (a copy: changing it changes nothing)."""
    return copy.deepcopy(_resource(name, data_dir))


def citation(name: str, data_dir: Path | str | None = None) -> str:
    """How to cite a table: its ``citation`` property, else its title and sources."""
    resource = _resource(name, data_dir)
    if resource.get("citation"):
        return resource["citation"]
    sources = "; ".join(source.get("title", "") for source in resource.get("sources", []))
    return f"{resource.get('title', name)}. Sources: {sources}".strip()


# --------------------------------------------------------------------------- loading

def _shown(folder: Path, relative: str) -> str:
    """File name as messages show it: ``data/sp_facts_2024.csv``."""
    return f"{folder.name}/{relative}" if folder.name else relative


def load(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Read, validate and type one table. Results are cached on path + modification time."""
    folder = _data_dir(data_dir)
    resource = _resource(name, folder)
    path = folder / resource["path"]
    shown = _shown(folder, resource["path"])
    try:
        key = (name, _stamp(path), _stamp(folder / DESCRIPTOR))
    except FileNotFoundError:
        raise DataError(f"{shown}: file not found") from None
    with _lock:
        cached = _cache.get(key)
    if cached is None:
        cached = _read_table(resource, path, shown)
        _check_foreign_keys(resource, cached, folder, shown)
        with _lock:
            _cache[key] = cached
    return cached.copy(deep=True)


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _descriptor_cache.clear()


def _decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line_end = raw.find(b"\n", exc.start)
        line = raw[line_start: line_end if line_end >= 0 else len(raw)].decode("utf-8", "replace")
        header = next(csv.reader(io.StringIO(raw.split(b"\n", 1)[0].decode("utf-8", "replace"))), [])
        column = ""
        try:
            cells = next(csv.reader(io.StringIO(line)))
            for index, cell in enumerate(cells):
                if "\ufffd" in cell and index < len(header):
                    column = f", column {header[index]}"
                    break
        except (csv.Error, StopIteration):
            pass
        raise DataError(
            f"{shown}, row {row}{column}: not UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from exc
    return text[1:] if text.startswith("\ufeff") else text


def _read_table(resource: dict, path: Path, shown: str) -> pd.DataFrame:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{shown}: file not found") from None
    except OSError as exc:
        raise DataError(f"{shown}: cannot be read ({exc.strerror or exc})") from exc
    text = _decode(raw, shown)
    schema = resource.get("schema", {})
    fields = schema.get("fields", [])
    names = [field["name"] for field in fields]
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(f"{shown}: not a readable CSV file ({exc})") from exc
    if not records:
        raise DataError(f"{shown}, row 1: the file is empty (a header row is required)")
    header = [cell.strip() for cell in records[0]]
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        raise DataError(f"{shown}, row 1, column {duplicated[0]}: the column appears twice")
    missing = [column for column in names if column not in header]
    if missing:
        raise DataError(f"{shown}, row 1, column {missing[0]}: missing column "
                        f"(expected columns: {', '.join(names)})")
    extra = [column for column in header if column not in names]
    if extra:
        raise DataError(f"{shown}, row 1, column {extra[0]}: unexpected column "
                        f"(not in the schema of {resource['name']})")
    positions = [header.index(column) for column in names]

    columns: dict[str, list] = {column: [] for column in names}
    seen: dict[str, dict] = {field["name"]: {} for field in fields
                              if field.get("constraints", {}).get("unique")}
    for offset, record in enumerate(records[1:], start=2):
        if not record:  # a blank line
            continue
        if len(record) != len(header):
            raise DataError(f"{shown}, row {offset}: {len(record)} fields, expected {len(header)}")
        for field, position in zip(fields, positions):
            value = _convert(field, record[position], shown, offset)
            columns[field["name"]].append(value)
            if field["name"] in seen and value is not None:
                first = seen[field["name"]].setdefault(value, offset)
                if first != offset:
                    raise DataError(f"{shown}, row {offset}, column {field['name']}: "
                                    f"{record[position]!r} is not unique (also in row {first})")
        columns.setdefault("__row__", []).append(offset)

    rows = columns.pop("__row__", [])
    key = schema.get("primaryKey") or []
    key = [key] if isinstance(key, str) else list(key)
    if key:
        first_seen: dict[tuple, int] = {}
        for index, row in enumerate(rows):
            value = tuple(columns[column][index] for column in key)
            first = first_seen.setdefault(value, row)
            if first != row:
                shown_value = ", ".join(str(part) for part in value)
                raise DataError(f"{shown}, row {row}, column {', '.join(key)}: duplicate primary key "
                                f"({shown_value}) (also in row {first})")
    frame = pd.DataFrame({field["name"]: _series(field, columns[field["name"]]) for field in fields})
    frame.attrs["table"] = resource["name"]
    frame.attrs["path"] = shown
    return frame


def _convert(field: dict, cell: str, shown: str, row: int):
    """One CSV cell to a Python value (None when empty), checking the field's constraints."""
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    where = f"{shown}, row {row}, column {name}"
    if cell == "":
        if constraints.get("required"):
            raise DataError(f"{where}: a value is required")
        return None
    value: str | int | float | date | bool
    if kind == "string":
        value = cell
    elif kind == "integer":
        if not _INTEGER.match(cell):
            raise DataError(f"{where}: {cell!r} is not an integer")
        value = int(cell)
    elif kind == "number":
        if not _NUMBER.match(cell):
            raise DataError(f"{where}: {cell!r} is not a number")
        value = float(cell)
        if not math.isfinite(value):
            raise DataError(f"{where}: {cell!r} is not a finite number")
    elif kind == "date":
        try:
            if not _DATE.match(cell):
                raise ValueError
            value = date.fromisoformat(cell)
        except ValueError:
            raise DataError(f"{where}: {cell!r} is not a date (expected YYYY-MM-DD)") from None
    elif kind == "boolean":
        true_values = field.get("trueValues", _TRUE)
        false_values = field.get("falseValues", _FALSE)
        if cell in true_values:
            value = True
        elif cell in false_values:
            value = False
        else:
            raise DataError(f"{where}: {cell!r} is not a boolean "
                            f"(expected {'/'.join(list(true_values) + list(false_values))})")
    else:
        raise DataError(f"{where}: the schema uses the unsupported type {kind!r}")

    if "enum" in constraints and value not in _typed_list(field, constraints["enum"]):
        allowed = ", ".join(repr(item) for item in constraints["enum"] if item != "")
        raise DataError(f"{where}: {cell!r} is not one of the allowed values ({allowed})")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], cell):
        raise DataError(f"{where}: {cell!r} does not match the pattern {constraints['pattern']}")
    if "minimum" in constraints and value < _typed(field, constraints["minimum"]):
        raise DataError(f"{where}: {cell!r} is below the minimum {constraints['minimum']}")
    if "maximum" in constraints and value > _typed(field, constraints["maximum"]):
        raise DataError(f"{where}: {cell!r} is above the maximum {constraints['maximum']}")
    if "minLength" in constraints and len(cell) < constraints["minLength"]:
        raise DataError(f"{where}: {cell!r} is shorter than {constraints['minLength']} characters")
    if "maxLength" in constraints and len(cell) > constraints["maxLength"]:
        raise DataError(f"{where}: value is longer than {constraints['maxLength']} characters")
    return value


def _typed(field: dict, bound):
    if field.get("type") == "date":
        return date.fromisoformat(bound)
    return bound


def _typed_list(field: dict, values: list) -> list:
    return [_typed(field, value) for value in values]


def _series(field: dict, values: list) -> pd.Series:
    kind = field.get("type", "string")
    if kind == "integer":
        return pd.array(values, dtype="Int64")
    if kind == "number":
        return pd.array([math.nan if v is None else v for v in values], dtype="float64")
    if kind == "date":
        return pd.to_datetime(pd.Series([pd.NaT if v is None else pd.Timestamp(v) for v in values],
                                        dtype="object"))
    if kind == "boolean":
        if any(value is None for value in values):
            return pd.array(values, dtype="boolean")
        return pd.array(values, dtype=bool)
    return pd.array(values, dtype="string")


def _check_foreign_keys(resource: dict, frame: pd.DataFrame, folder: Path, shown: str) -> None:
    for foreign in resource.get("schema", {}).get("foreignKeys", []):
        fields = foreign["fields"]
        target = foreign["reference"]
        field = fields if isinstance(fields, str) else fields[0]
        target_field = target["fields"] if isinstance(target["fields"], str) else target["fields"][0]
        target_name = target.get("resource") or resource["name"]
        if target_name == resource["name"]:
            allowed = set(frame[target_field].dropna())
        else:
            allowed = set(load(target_name, folder)[target_field].dropna())
        target_path = _resource(target_name, folder)["path"]
        for index, value in enumerate(frame[field]):
            if pd.notna(value) and value not in allowed:
                raise DataError(f"{shown}, row {index + 2}, column {field}: {value!r} is not a "
                                f"{target_field} in {target_path}")


# --------------------------------------------------------------------------- convenience

def fact(metric_id: str, data_dir: Path | str | None = None) -> dict:
    """One figure of ``sp_facts_2024`` as a plain dict with its citation in ``source``.

    ``value`` is an ``int`` when the figure is whole, else a ``float``.
    """
    facts = load("sp_facts_2024", data_dir)
    match = facts[facts["metric_id"] == metric_id]
    if match.empty:
        raise KeyError(f"no figure {metric_id!r} in sp_facts_2024")
    row = match.iloc[0]
    value = float(row["value"])
    result = {column: (None if pd.isna(row[column]) else row[column]) for column in facts.columns}
    result["value"] = int(value) if value.is_integer() else value
    result["reference_date"] = row["reference_date"].date().isoformat()
    for column in ("metric_id", "unit", "qualifier", "label_zh", "label_en", "period", "source"):
        result[column] = "" if result[column] is None else str(result[column])
    result["paragraph"] = int(row["paragraph"])
    return result


def split_list(value: object, separator: str = "; ") -> list[str]:
    """Split a '; '-joined cell (``mandates``, ``mandate_ids``) into a list; empty -> []."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return []
    return [part for part in str(value).split(separator) if part]
