"""``sp-course``: each command reaches the tool it names, on the folder it is given."""
from __future__ import annotations

import re

import nbformat
import pytest

from course import cli, i18n_tools
from course.grading import authoring
from course.i18n import t

COMMANDS = ("install", "check", "parity", "build-exercises")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_is_english_and_lists_every_command(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for command in COMMANDS:
        assert re.search(rf"^\s+{re.escape(command)}\b", text, re.MULTILINE), (command, text)
    assert not re.search(r"[\u4e00-\u9fff]", text), "--help is in English"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as stop:
        cli.main([command, "--help"])
    assert stop.value.code == 0
    assert "--lang" in capsys.readouterr().out


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main([])
    assert stop.value.code == 2


def test_check_reports_the_catalogue_check(capsys):
    code, out, _ = run(capsys, "check")
    problems = i18n_tools.check()
    assert code == (1 if problems else 0)
    assert out.strip().endswith(f"{len(problems)} problem(s)")


def _notebook(path, *cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in cells]
    nbformat.write(nb, path)


def test_parity_checks_and_syncs_the_given_checkout(tmp_path, capsys):
    _notebook(tmp_path / "modules" / "en" / "m1.ipynb", "# One", "text")
    _notebook(tmp_path / "modules" / "zh" / "m1.ipynb", "# 一", "正文")

    code, out, _ = run(capsys, "parity", "--root", str(tmp_path))
    assert code == 1 and "no sync record" in out and out.strip().endswith("2 problem(s)")

    code, out, _ = run(capsys, "parity", "--root", str(tmp_path), "--sync")
    assert code == 0 and "synced" in out

    code, out, _ = run(capsys, "parity", "--root", str(tmp_path))
    assert code == 0 and out.strip().endswith("0 problem(s)")

    _notebook(tmp_path / "modules" / "en" / "m1.ipynb", "# One", "text", "a cell only in English")
    code, out, _ = run(capsys, "parity", "--root", str(tmp_path))
    assert code == 1 and "3 cells in English, 2 in Chinese" in out


def test_parity_finds_the_checkout_through_the_environment(tmp_path, capsys, monkeypatch):
    _notebook(tmp_path / "modules" / "en" / "only.ipynb", "# Only English")
    monkeypatch.setenv(cli.SOURCE_ENV, str(tmp_path))
    code, out, _ = run(capsys, "parity")
    assert code == 1 and "missing" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_source_checkout_the_message_says_where_it_looked(tmp_path, capsys, lang):
    code, out, err = run(capsys, "build-exercises", "--check", "--lang", lang, "--root", str(tmp_path))
    assert code == 2 and out == ""
    expected = t("cli.error.no_source", lang, looked_in=str(tmp_path.resolve()), env=cli.SOURCE_ENV)
    assert err.strip() == expected
    assert "--root" in err and cli.SOURCE_ENV in err


def test_build_exercises_check_lists_stale_solutions(tmp_path, capsys):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "exercises").mkdir()
    code, out, _ = run(capsys, "build-exercises", "--check", "--root", str(tmp_path))
    expected = authoring.expected_files(tmp_path)
    assert code == 1
    assert len(out.strip().splitlines()) == len(expected) > 0
    for path in expected:
        assert f"out of date: {path}" in out
        assert not path.exists(), "--check writes nothing"


def test_build_exercises_check_passes_on_this_checkout(capsys):
    code, out, _ = run(capsys, "build-exercises", "--check")
    assert (code, out) == (0, "")


def test_install_runs_the_installer_and_says_so_in_the_chosen_language(capsys, monkeypatch):
    # The real install into a fresh environment is covered by tests/test_wheel_install.py.
    import course.install

    calls = []
    monkeypatch.setattr(course.install, "main", lambda argv=None: calls.append(argv) or 0)
    code, out, _ = run(capsys, "install", "--lang", "zh")
    assert code == 0 and calls == [[]]  # no install options given: nothing forwarded
    assert out.strip() == t("cli.install.done", "zh")


def test_lang_defaults_to_the_environment(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SP_COURSE_LANG", "zh_CN")
    code, _, err = run(capsys, "parity", "--root", str(tmp_path))
    assert code == 2 and err.strip() == t("cli.error.no_source", "zh", looked_in=str(tmp_path.resolve()),
                                          env=cli.SOURCE_ENV)
