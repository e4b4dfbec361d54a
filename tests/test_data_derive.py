"""The derived tables are exactly what the derivation scripts make from ../shared."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shared_or_skip(relative: Path) -> Path:
    if (SHARED / relative).exists():
        return SHARED
    message = f"raw data not found at {SHARED / relative}: cannot re-derive the table"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must provide ../shared beside the clone)")
    pytest.skip(message + "; set up ../shared (CI does) to run this check")


@pytest.mark.parametrize("script", ["derive_mandate_resolutions", "derive_communications_sample"])
def test_rederivation_is_byte_for_byte_identical(script):
    module = _script(script)
    shared = _shared_or_skip(module.RAW_RELATIVE)
    outputs = module.derive(shared, DATA)
    assert outputs, script
    for name, text in outputs.items():
        committed = (DATA / name).read_bytes()
        assert text.encode("utf-8") == committed, f"data/{name} differs from what scripts/{script}.py derives"


def test_derivation_is_deterministic():
    module = _script("derive_mandate_resolutions")
    shared = _shared_or_skip(module.RAW_RELATIVE)
    assert module.derive(shared, DATA) == module.derive(shared, DATA)


def test_missing_raw_file_is_a_clear_error(tmp_path):
    for name in ("derive_mandate_resolutions", "derive_communications_sample"):
        module = _script(name)
        with pytest.raises(FileNotFoundError, match="not found"):
            module.derive(tmp_path, DATA)
        assert module.main([str(tmp_path)]) == 1


def test_title_rule():
    module = _script("derive_mandate_resolutions")
    classify = module.classify
    assert classify("Mandate of Special Rapporteur on the situation of human rights defenders : resolution /") \
        == ("human-rights-defenders", None)
    assert classify("Torture and other cruel, inhuman or degrading treatment or punishment : mandate of the "
                    "Special Rapporteur : resolution /") == ("torture", None)
    assert classify("Special Rapporteur on contemporary forms of slavery : resolution /") == ("slavery", None)
    assert classify("Arbitrary detention : resolution /") == (None, None)
    assert classify("Situation of human rights in Belarus : resolution /") == (None, None)
    mandate, reason = classify("Mandate of the Intergovernmental Working Group on the Effective Implementation "
                               "of the Durban Declaration and Programme of Action : resolution /")
    assert mandate is None and "intergovernmental" in reason
    mandate, reason = classify("Follow-up to the report of the Special Rapporteur on the situation of human "
                               "rights in Myanmar : resolution /")
    assert mandate is None and "follow-up" in reason
    with pytest.raises(module.DerivationError):
        classify("Mandate of the Special Rapporteur on something new : resolution /")


def test_vote_type_normalisation():
    vote_type = _script("derive_mandate_resolutions").vote_type
    assert vote_type("ADOPTED WITHOUT VOTE") == "without_vote"
    assert vote_type(" RECORDED ") == "recorded"
    assert vote_type("NON-RECORDED, adopted unanimously") == "other"


def test_communication_type_rules():
    module = _script("derive_communications_sample")
    assert module.type_family("JAL") == "allegation_letter" and module.is_joint("JAL")
    assert module.type_family("UA") == "urgent_appeal" and not module.is_joint("UA")
    assert module.type_family("JOL") == "other_letter"
    assert module.addressee_kind("OTH 157/2025") == "non_state"
    assert module.addressee_kind("AUS 2/2026") == "state"
    with pytest.raises(module.DerivationError):
        module.type_family("XYZ")
