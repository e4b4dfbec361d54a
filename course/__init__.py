"""A bilingual course on the UN Special Procedures: domain rules, data and widgets.

Domain modules (plain Python, no kernel needed) sit at the top of the package;
``course.widgets`` holds the thin ipywidgets views over them.
"""
__version__ = "0.1.0"
