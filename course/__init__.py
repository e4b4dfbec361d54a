"""A bilingual course on the UN Special Procedures: domain rules, data and widgets.

The shared core (vocabulary, citations, translation, storage, data) sits at the top of
the package; ``course.tools.<tool>`` holds each tool's rules, exports and view, and
``course.lessons`` the charts, quiz and comparisons the modules use. See docs/architecture.md.
"""
__version__ = "0.1.0"


def _friendly_errors_in_voila() -> None:
    # Every course notebook imports `course` first, so this covers all of them.
    from .voila_errors import install

    install()


_friendly_errors_in_voila()
