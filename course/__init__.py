"""A bilingual course on the UN Special Procedures: domain rules, data and widgets.

Domain modules (plain Python, no kernel needed) sit at the top of the package;
``course.widgets`` holds the thin ipywidgets views over them.
"""
__version__ = "0.1.0"


def _friendly_errors_in_voila() -> None:
    # Every course notebook imports `course` first, so this covers all of them.
    from .voila_errors import install

    install()


_friendly_errors_in_voila()
