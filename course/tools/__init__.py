"""The course's tools, one folder each: ``rules`` (plain Python), ``exports`` (files and
charts built from the rules' data) and ``view`` (ipywidgets layout and wiring only).

Every view is built on :mod:`course.tools.shell`, the chrome the tools share.
"""
