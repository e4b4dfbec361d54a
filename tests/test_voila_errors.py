"""Errors in a Voila app are shown as a short escaped message, only under Voila."""
from course import voila_errors


class FakeShell:
    def __init__(self):
        self.handler = None

    def set_custom_exc(self, types, handler):
        self.handler = (types, handler)


def test_not_installed_outside_voila():
    shell = FakeShell()
    assert voila_errors.install(shell, environ={}) is False
    assert shell.handler is None


def test_installed_under_voila():
    shell = FakeShell()
    assert voila_errors.install(shell, environ={"SERVER_SOFTWARE": "voila/0.5.13"}) is True
    assert shell.handler[0] == (Exception,)


def test_message_is_escaped_bilingual_and_names_the_problem():
    html = voila_errors.error_html(ValueError("data/x.csv, row 3, column value: <script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "data/x.csv, row 3, column value" in html
    assert 'lang="zh"' in html and 'lang="en"' in html
