"""A cell that fails in a Voila app shows what went wrong, no traceback, and the page goes on."""
from .helpers import open_app


def test_failing_cell_shows_a_message_and_the_rest_renders(voila_server, page):
    open_app(page, voila_server, "tests/fixtures/notebooks/failing_cell.ipynb", ".sp-error")
    message = page.locator(".sp-error").inner_text()
    assert "no_such_table" in message
    assert "Traceback" not in page.content()
    page.get_by_role("button", name="Still working").wait_for(timeout=30_000)
