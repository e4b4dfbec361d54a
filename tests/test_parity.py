"""English and Chinese notebooks stay in step (course.parity)."""
import shutil

import nbformat
import pytest

from course import parity


def test_all_notebook_pairs_match_and_are_synced():
    problems = parity.check()
    assert problems == [], "\n".join(problems)


def test_every_course_page_exists_in_both_languages():
    pairs = parity.pairs()
    names = {p.en.relative_to(parity.PAIRS_ROOT / "en").as_posix() for p in pairs}
    assert "home.ipynb" in names
    for pair in pairs:
        assert pair.en.exists() and pair.zh.exists(), pair


@pytest.fixture
def copy_of_home(tmp_path):
    root = tmp_path / "modules"
    for lang in ("en", "zh"):
        (root / lang).mkdir(parents=True)
        shutil.copy(parity.PAIRS_ROOT / lang / "home.ipynb", root / lang / "home.ipynb")
    assert parity.check(root) == []
    return root


def test_editing_one_side_alone_is_detected(copy_of_home):
    path = copy_of_home / "en" / "home.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source += "\nA new sentence only in English."
    nbformat.write(notebook, path)
    problems = parity.check(copy_of_home)
    assert any("en/home.ipynb changed since" in p for p in problems), problems
    parity.sync([path], root=copy_of_home)
    assert parity.check(copy_of_home) == []


def test_structure_difference_is_detected(copy_of_home):
    path = copy_of_home / "zh" / "home.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("## 多出来的一节"))
    nbformat.write(notebook, path)
    parity.sync([path], root=copy_of_home)
    problems = parity.check(copy_of_home)
    assert any("cells in English" in p for p in problems), problems


def test_language_literal_is_the_only_code_difference_allowed(copy_of_home):
    path = copy_of_home / "zh" / "home.ipynb"
    notebook = nbformat.read(path, as_version=4)
    code = next(c for c in notebook.cells if c.cell_type == "code")
    code.source = code.source.replace("public_server_warning(LANG)", "print('hi')")
    nbformat.write(notebook, path)
    parity.sync([path], root=copy_of_home)
    assert any("differs" in p for p in parity.check(copy_of_home))


def test_missing_counterpart_is_reported(copy_of_home):
    (copy_of_home / "zh" / "home.ipynb").unlink()
    assert any("missing" in p for p in parity.check(copy_of_home))
