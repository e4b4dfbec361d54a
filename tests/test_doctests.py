"""The examples in the package's docstrings run and show what they claim (doctest)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import course

MODULES = sorted(info.name for info in pkgutil.walk_packages(course.__path__, "course."))
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, report=True, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see output above)"


def test_examples_exist_to_be_run():
    found = [test for name in MODULES
             for test in doctest.DocTestFinder().find(importlib.import_module(name)) if test.examples]
    assert len(found) >= 4, [test.name for test in found]
