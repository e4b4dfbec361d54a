"""Nothing typed is written to disk in clear, after any tool action.

A marker is typed into every text field of the drafting form and the risk planner;
then save, every export, upload, lock. The store folder and the temporary folder
must not contain the marker in any encoding Python or JSON would write, and the
tool notebooks must not keep widget state or outputs (where a browser could save
typed text into the .ipynb).
"""
from __future__ import annotations

import json
import logging
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from course import storage
from course.tools.drafting import rules as m
from course.tools.risk import rules as risk

ROOT = Path(__file__).resolve().parents[1]
MARKER = "Mk7Qx-Hu0ng 黄小梅 ناديا"
PASS = "correct horse battery staple"


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    store, temp = tmp_path / "store", tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(storage, "DEFAULT_KDF", {"name": "scrypt", "n": 2**14, "r": 8, "p": 1, "length": 32})
    return store, temp


def needles() -> list[bytes]:
    found = set()
    for part in ("Mk7Qx-Hu0ng", "黄小梅", "ناديا"):
        found.add(part.encode("utf-8"))
        found.add(part.encode("utf-16-le"))
        found.add(json.dumps(part).strip('"').encode("ascii"))  # \\u escapes
    return sorted(found)


def assert_clean(*folders: Path, log_text: str = "") -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for needle in needles():
                    assert needle not in data, (path, needle)
    for needle in ("Mk7Qx-Hu0ng", "黄小梅", "ناديا"):
        assert needle not in log_text


def upload(control, payload: bytes) -> None:
    control.value = ({"name": "x.json", "type": "application/json", "size": len(payload),
                      "content": memoryview(payload), "last_modified": datetime(2026, 1, 1, tzinfo=timezone.utc)},)


def test_drafting_form_writes_nothing_in_clear(sandbox, caplog):
    from course.tools.drafting.view import DraftingForm

    store, temp = sandbox
    caplog.set_level(logging.DEBUG)
    form = DraftingForm("en", store_root=store, environ={})
    form.add_victim.click()
    form.title_text.value = MARKER
    for spec in m.FIELDS:
        if spec.kind in ("text", "longtext", "date"):
            form.controls[spec.path].value = MARKER
    for control in form.victim_rows[0]["inputs"].values():
        control.value = MARKER
    form.records.passphrase.value = form.records.passphrase_again.value = PASS
    form.records.create_button.click()
    form.records.save_button.click()
    for index in range(3):
        assert form.downloads.click(index) is not None
    form.check_button.click()
    upload(form.upload, form.collect().to_json().encode("utf-8"))
    form.records.save_button.click()
    form.records.lock_button.click()
    assert storage.vault(store).count("draft") == 2
    assert_clean(store, temp, log_text=caplog.text)


def test_risk_planner_writes_nothing_in_clear(sandbox, caplog):
    from course.tools.risk.view import RiskMatrix

    store, temp = sandbox
    caplog.set_level(logging.DEBUG)
    tool = RiskMatrix("zh", environ={}, store_root=store)
    tool.add_item()
    tool.cards[0].note.value = MARKER
    tool.title.value = MARKER
    tool.mandate.value = MARKER
    tool.plan_note.value = MARKER
    item = tool.register().items[0]
    upload(tool.upload, risk.RiskRegister(items=[risk.RiskItem(
        who=item.who, threat=risk.CUSTOM_THREAT, likelihood=2, impact=2, note=MARKER,
        custom_threat_label=MARKER)], title=MARKER, plan_note=MARKER).to_json().encode("utf-8"))
    tool.records.passphrase.value = tool.records.passphrase_again.value = PASS
    tool.records.create_button.click()
    tool.records.save_button.click()
    for index in range(3):
        assert tool.downloads.click(index) is not None
    tool.records.lock_button.click()
    assert storage.vault(store).count("riskplan") == 1
    assert_clean(store, temp, log_text=caplog.text)


TOOL_NOTEBOOKS = sorted((ROOT / "modules").glob("*/tools/*.ipynb")) + sorted(
    (ROOT / "modules").glob("*/04-engaging-safely.ipynb"))


@pytest.mark.parametrize("path", TOOL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_tool_notebooks_keep_no_widget_state_or_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata  # no saved widget state (it would hold typed text)
    for cell in notebook.cells:
        assert not cell.get("outputs"), cell.get("id")


def test_jupyterlab_does_not_save_widget_state_by_default():
    import jupyterlab_widgets

    schema = next(Path(jupyterlab_widgets.__file__).parents[3].glob(
        "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/schemas/**/plugin.json"), None)
    if schema is None:  # installed elsewhere (e.g. a system prefix)
        import sys
        schema = next(Path(sys.prefix).glob(
            "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/schemas/**/plugin.json"))
    assert json.loads(schema.read_text())["properties"]["saveState"]["default"] is False


def test_a_failing_callback_logs_no_typed_text(caplog):
    import ipywidgets as w

    from course.tools.common import guarded

    status = w.HTML()
    caplog.set_level(logging.DEBUG)

    @guarded(status, "en")
    def fails():
        raise ValueError("cannot parse " + MARKER)

    fails()
    assert "sp-error" in status.value and "ValueError" in caplog.text
    assert "Mk7Qx" not in caplog.text and "Mk7Qx" not in status.value
