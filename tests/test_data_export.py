"""Reading an export of OHCHR's communications database (fictional fixtures)."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from course import data
from course.data import DataError
from course.ohchr_export import (
    EXPORT_COLUMNS,
    OUTPUT_COLUMNS,
    load_communications,
    read_communications_export,
    type_family,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "ohchr_export_small.csv"


def _xlsx(path: Path, rows: list[list], header=EXPORT_COLUMNS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROW = [datetime(2024, 3, 5), "Freedonia", "JUA", "FRD 1/2024", "human rights defenders; torture",
       "Fictional summary about an invented person.", "Western European and other States",
       "Fictional section", 3, 1, "Freedonia, 02/05/2024"]


def test_csv_fixture_with_bom_padded_headers_and_mixed_dates():
    frame = read_communications_export(FIXTURE)
    assert list(frame.columns) == list(OUTPUT_COLUMNS)
    assert "summary" not in frame.columns
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-05", "2024-04-17", "2024-11-18"]
    assert frame["type_family"].tolist() == ["urgent_appeal", "allegation_letter", "other_letter"]
    assert frame["is_joint"].tolist() == [True, True, False]
    assert frame["addressee_kind"].tolist() == ["state", "non_state", "state"]
    assert frame.loc[0, "mandates"] == "human rights defenders; arbitrary Detention"
    assert frame["mandate_count"].tolist() == [2, 3, 1]
    assert frame["alleged_victims"].isna().tolist() == [False, True, True]
    assert frame["replies_count"].tolist() == [1, 0, 2]
    assert pd.isna(frame.loc[1, "un_region"])


def test_columns_shared_with_the_sample_have_the_same_names_and_types():
    sample = data.load("communications_sample")
    export = read_communications_export(FIXTURE)
    shared = [c for c in export.columns if c in sample.columns]
    assert shared == ["date", "addressee", "addressee_kind", "type", "type_family", "is_joint",
                      "reference", "mandates", "mandate_count"]
    for column in shared:
        assert export[column].dtype.kind == sample[column].dtype.kind, column


def test_summary_only_on_request():
    frame = read_communications_export(FIXTURE, keep_summary=True)
    assert frame.loc[0, "summary"].startswith("Information received")


def test_xlsx_with_excel_and_text_dates(tmp_path):
    rows = [ROW, [45400, "Acme Corp", "JAL", "OTH 3/2024", "business", "", None, None, None, 0, None],
            ["2024-06-01", "Freedonia", "al", "FRD 4/2024", "privacy", "", "", "", "2", "", ""]]
    frame = read_communications_export(_xlsx(tmp_path / "export.xlsx", rows))
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-05", "2024-04-18", "2024-06-01"]
    assert frame["type"].tolist() == ["JUA", "JAL", "AL"]
    assert frame["alleged_victims"].tolist()[::2] == [3, 2]
    assert frame.loc[1, "addressee_kind"] == "non_state"


def test_missing_column_is_named(tmp_path):
    header = [c for c in EXPORT_COLUMNS if c != "Mandates"]
    path = _xlsx(tmp_path / "export.xlsx", [ROW[:4] + ROW[5:]], header=header)
    with pytest.raises(DataError) as info:
        read_communications_export(path)
    assert str(info.value).startswith(f"{tmp_path.name}/export.xlsx, row 1, column Mandates: missing column")


@pytest.mark.parametrize("column,value,expected", [
    ("Date", "31/02/2024", "row 3, column Date: '31/02/2024' is not a date (expected dd/mm/yyyy or yyyy-mm-dd)"),
    ("Date", "soon", "row 3, column Date: 'soon' is not a date"),
    ("Type", "XX", "row 3, column Type: 'XX' is not a communication type"),
    ("Nb. of replies", "two", "row 3, column Nb. of replies: 'two' is not a whole number"),
    ("Nb. of alleged victims", -1, "row 3, column Nb. of alleged victims: -1 is not a count"),
    ("Ref. no.", "", "row 3, column Ref. no.: a reference is required"),
])
def test_bad_values_name_row_and_column(tmp_path, column, value, expected):
    bad = list(ROW)
    bad[EXPORT_COLUMNS.index(column)] = value
    path = _xlsx(tmp_path / "export.xlsx", [ROW, bad])
    with pytest.raises(DataError) as info:
        read_communications_export(path)
    assert f"{tmp_path.name}/export.xlsx, {expected}" in str(info.value)


def test_latin1_csv_is_refused_clearly(tmp_path):
    path = tmp_path / "export.csv"
    text = FIXTURE.read_text(encoding="utf-8-sig").replace("Aru Velan", "Aru Vélan")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(DataError, match=r"export\.csv, row 3: not UTF-8"):
        read_communications_export(path)


def test_semicolon_csv_and_any_script(tmp_path):
    path = tmp_path / "export.csv"
    header = ";".join(EXPORT_COLUMNS)
    row = "01/02/2025;دولة خيالية 🙂;UA;XYZ 1/2025;torture;نص خيالي; ;;;;"
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    frame = read_communications_export(path)
    assert frame.loc[0, "addressee"] == "دولة خيالية 🙂"
    assert frame.loc[0, "type_family"] == "urgent_appeal"


def test_control_characters_and_a_1mb_cell(tmp_path):
    # .xlsx cannot hold control characters or cells over 32,767 characters, so use CSV.
    big = "x" * 1_000_000
    path = tmp_path / "export.csv"
    header = ",".join(f'"{c}"' for c in EXPORT_COLUMNS)
    path.write_text(header + "\n" + f'01/02/2025,Freedonia\x00,AL,FRD 9/2025,torture,"{big}",,,,,"ok\x07"\n',
                    encoding="utf-8")
    frame = read_communications_export(path, keep_summary=True)
    assert frame.loc[0, "replies"] == "ok"
    assert frame.loc[0, "addressee"] == "Freedonia"
    assert len(frame.loc[0, "summary"]) == 1_000_000


def test_wrong_extension_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read_communications_export(tmp_path / "none.csv")
    other = tmp_path / "export.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(DataError, match="expected a .xlsx or .csv file"):
        read_communications_export(other)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="not a readable .xlsx file"):
        read_communications_export(broken)


def test_load_communications_prefers_a_full_export(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    sample = load_communications(folder)
    assert sample.attrs["source_kind"] == "sample" and sample.attrs["biased_sample"] is True
    assert len(sample) == 42
    shutil.copy(FIXTURE, folder / "ohchr_communications_export.csv")
    full = load_communications(folder)
    assert full.attrs["source_kind"] == "full_export" and full.attrs["biased_sample"] is False
    assert len(full) == 3 and "summary" not in full.columns


def test_type_family_rule():
    assert type_family(" jol ") == "other_letter"
    with pytest.raises(ValueError):
        type_family("OTH")
