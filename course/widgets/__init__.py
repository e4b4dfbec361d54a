"""Thin ipywidgets views over the domain modules. No rule lives here.

Each tool is a function ``course.widgets.<tool>(lang="zh"|"en")`` returning a widget.
"""
