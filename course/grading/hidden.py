"""Hidden tests stay hidden: strip them from anything returned to learners.

Stock nbgrader puts the full source of every test cell, hidden part included, in
the HTML feedback (jupyter/nbgrader#917); a failing hidden ``assert`` also shows
its own line in the traceback. :func:`strip_notebook` removes the hidden regions
from the source and replaces the outputs of cells that had one by a short note,
so the feedback says whether the cell passed without giving the test away.

:class:`StripHiddenTests` wraps it as an nbconvert preprocessor; nbgrader_config.py
puts it in ``GenerateFeedback.preprocessors``.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Sequence

BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests are not shown in feedback)"

NOTE_PASSED = "All tests in this cell passed. / 本单元格的测试全部通过。"
NOTE_FAILED = (
    "Some tests in this cell failed; hidden tests are not shown, so re-read the question "
    "and the visible tests. / 本单元格有测试未通过；隐藏测试不予显示，请重读题目和可见测试。"
)


def strip_source(source: str) -> tuple[str, bool]:
    """``source`` without its hidden-test regions; the flag says whether one was found.

    An unterminated region is removed to the end of the cell: when in doubt, hide.
    """
    lines = source.split("\n")
    kept: list[str] = []
    inside = False
    found = False
    for line in lines:
        if BEGIN in line:
            inside = True
            found = True
            continue
        if END in line and inside:
            inside = False
            kept.append(PLACEHOLDER)
            continue
        if not inside:
            kept.append(line)
    if inside:
        kept.append(PLACEHOLDER)
    return "\n".join(kept), found


def _failed(outputs: list) -> bool:
    return any(output.get("output_type") == "error" for output in outputs or [])


def strip_cell(cell: dict) -> bool:
    """Strip one cell in place; ``True`` if it held hidden tests."""
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(source)
    new_source, found = strip_source(source)
    if not found:
        return False
    cell["source"] = new_source
    if cell.get("cell_type") == "code":
        failed = _failed(cell.get("outputs", []))
        note = {"output_type": "stream", "name": "stdout", "text": (NOTE_FAILED if failed else NOTE_PASSED) + "\n"}
        try:
            from nbformat import from_dict
        except ImportError:  # pragma: no cover
            from_dict = dict
        cell["outputs"] = [from_dict(note)]
    return True


def strip_notebook(nb: dict) -> tuple[dict, int]:
    """A copy of the notebook with every hidden region gone; returns ``(notebook, cells stripped)``."""
    clean = copy.deepcopy(nb)
    count = sum(strip_cell(cell) for cell in clean.get("cells", []))
    return clean, count


def leaks(text: str, hidden_lines: list[str]) -> list[str]:
    """Hidden-test lines (or markers) that appear in ``text``: what a check of the feedback looks for."""
    found = [marker for marker in (BEGIN, END) if marker in text]
    found += [line for line in hidden_lines if line.strip() and line.strip() in text]
    return found


def _region_lines(nb: dict, begin: str, end: str) -> list[str]:
    lines: list[str] = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        inside = False
        for line in source.split("\n"):
            if begin in line:
                inside = True
            elif end in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def hidden_lines(nb: dict) -> list[str]:
    """Every non-blank line inside a hidden region of a source notebook."""
    return _region_lines(nb, BEGIN, END)


def solution_lines(nb: dict) -> list[str]:
    """Every non-blank line inside a solution region (``### BEGIN SOLUTION``) of a source notebook."""
    return _region_lines(nb, "BEGIN SOLUTION", "END SOLUTION")


from nbconvert.preprocessors import Preprocessor  # noqa: E402  (nbconvert comes with nbgrader)
from traitlets import Bool  # noqa: E402


class StripHiddenTests(Preprocessor):
    """nbconvert preprocessor: hidden tests out of the feedback HTML.

    nbconvert preprocessors are disabled unless told otherwise; this one is on by
    default, because leaking the tests is never what a facilitator wants.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            strip_cell(cell)
        return nb, resources


_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
_REMOTE_ATTR = re.compile(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def offline_html(page: str) -> str:
    """The page without scripts or stylesheets fetched from other hosts.

    nbgrader's feedback template loads MathJax from a CDN; a participant opening
    their feedback would tell that host they did. The course's notebooks need no
    maths rendering, so the script is simply dropped.
    """
    return _REMOTE_LINK.sub("", _REMOTE_SCRIPT.sub("", page))


def remote_references(page: str) -> list[str]:
    """``src=``/``href=`` attributes pointing to another host (plain links in text are fine)."""
    return [m.group(0) for m in _REMOTE_ATTR.finditer(page) if not m.group(0).lower().startswith("href")]


# --------------------------------------------------------------------------- secrets in any encoding

MIN_SECRET_CHARS = 12
"""Lines shorter than this (``pass``, ``)``) are too common to be evidence of a leak."""

_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{16,}={0,2}")
_HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}[\s:,]?){8,}")
_ESCAPES = re.compile(r"(?:\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}))+")
_ENTITY = re.compile(r"&#?[A-Za-z0-9]+;")
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def _bytes_as_text(data: bytes, inflate: bool = True) -> list[str]:
    """Decoded bytes as text, in the encodings a learner's code would use; bytes that do not
    decode are skipped, so a secret is found even inside a misaligned or longer run."""
    texts = [data.decode("utf-8", "ignore")]
    if len(data) >= 2 and data.count(0) * 4 >= len(data):  # UTF-16: every other byte is zero
        texts += [data.decode("utf-16-le", "ignore"), data.decode("utf-16-be", "ignore")]
    if inflate and data[:1] in (b"\x78", b"\x1f"):  # zlib or gzip, then encoded
        import zlib

        try:
            inflated = zlib.decompressobj(47).decompress(data, 4_000_000)
        except zlib.error:
            inflated = b""
        if inflated:
            texts.extend(_bytes_as_text(inflated, inflate=False))
    return texts


def _decoded_views(text: str, depth: int = 0) -> list[tuple[str, str]]:
    """``(encoding, text)`` pairs: what ``text`` says once decoded in every way a learner could encode it.

    HTML entities are undone first (so base64 or hex written with escaped characters is
    found); encoded runs found in the result are decoded, and one more level of
    decoding is applied to what they hold.
    """
    import base64
    import binascii
    import codecs
    import html as html_module
    from urllib.parse import unquote

    views: list[tuple[str, str]] = []
    base = text
    if _ENTITY.search(text):
        base = html_module.unescape(html_module.unescape(text))
        views.append(("html-escaped", base))
    if re.search(r"%[0-9A-Fa-f]{2}", base):
        views.append(("url-encoded", unquote(unquote(base))))
    nested: list[tuple[str, str]] = []
    decoded = []
    for match in _ESCAPES.finditer(base):
        try:
            text_form = codecs.decode(match.group(0), "unicode_escape")
        except (UnicodeDecodeError, ValueError):
            continue
        decoded.append(text_form)
        decoded.extend(_bytes_as_text(text_form.encode("latin-1", "ignore")))
    if decoded:
        nested.append(("escape sequences", "\n".join(decoded)))
    decoded = []
    for match in _BASE64_RUN.finditer(base):
        run = match.group(0)
        variants = {run, run.replace("-", "+").replace("_", "/")}
        for variant in variants:
            for shift in range(4):  # the run may start with characters that belong to the text around it
                chunk = variant[shift:].rstrip("=")
                chunk = chunk[: len(chunk) - len(chunk) % 4] if len(chunk) % 4 == 1 else chunk
                chunk += "=" * (-len(chunk) % 4)
                try:
                    data = base64.b64decode(chunk, validate=False)
                except (binascii.Error, ValueError):
                    continue
                decoded.extend(_bytes_as_text(data))
    if decoded:
        nested.append(("base64", "\n".join(decoded)))
    decoded = []
    for match in _HEX_RUN.finditer(base):
        digits = re.sub(r"[\s:,]", "", match.group(0))
        for shift in (0, 1):
            part = digits[shift:]
            part = part[: len(part) // 2 * 2]
            try:
                decoded.extend(_bytes_as_text(bytes.fromhex(part)))
            except ValueError:
                continue
    if decoded:
        nested.append(("hex", "\n".join(decoded)))
    views.extend(nested)
    views.append(("reversed", base[::-1]))
    views.append(("rot13", codecs.encode(base, "rot13")))
    if depth < 1:  # one more level: hex inside base64, base64 inside escape sequences ...
        for name, view in nested:
            views.extend((f"{name} > {inner}", body) for inner, body in _decoded_views(view, depth + 1)
                         if not inner.startswith(("reversed", "rot13")))
    return views


def find_secrets(page: str, hidden: Sequence[str], solutions: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Hidden-test and solution lines ``page`` carries, in any encoding; ``(encoding, line)`` pairs.

    Hidden tests are looked for as they are (plain), HTML-escaped, URL-encoded, as
    escape sequences, base64 (standard or URL-safe, at any offset, gzip/zlib inside),
    hex, reversed and ROT13, and one level of those inside each other. Solution lines
    are looked for only in encoded forms: a correct answer shows its own solution in
    plain text, which is no leak. Whitespace is ignored when comparing.
    """
    secrets = [(_squash(line), line, "hidden") for line in hidden if len(_squash(line)) >= MIN_SECRET_CHARS]
    secrets += [(_squash(line), line, "solution") for line in solutions if len(_squash(line)) >= MIN_SECRET_CHARS]
    import html as html_module

    found: list[tuple[str, str]] = []
    plain = _squash(page)
    shown = _squash(html_module.unescape(html_module.unescape(page)))  # text as the reader sees it
    for marker in (BEGIN, END):
        if _squash(marker) in plain:
            found.append(("plain", marker))
    for squashed, line, kind in secrets:
        if kind == "hidden" and squashed in plain:
            found.append(("plain", line))
    seen = {line for _, line in found}
    for name, view in _decoded_views(page):
        body = _squash(view)
        for marker in (BEGIN, END):
            if marker not in seen and _squash(marker) in body and _squash(marker) not in plain:
                found.append((name, marker))
                seen.add(marker)
        for squashed, line, kind in secrets:
            if line in seen or squashed not in body:
                continue
            if kind == "solution" and (squashed in plain or squashed in shown):
                continue  # a correct answer, shown as the page shows code: no leak
            found.append((name, line))
            seen.add(line)
    return found


# --------------------------------------------------------------------------- nothing fetched from elsewhere

CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'none'; "
       "frame-src 'none'; child-src 'none'; object-src 'none'; worker-src 'self' blob:; form-action 'none'; "
       "base-uri 'none'")
"""Content-Security-Policy of every feedback page: the browser itself refuses any request to
another host, whatever learner content the page holds (and however it is encoded)."""

_REMOTE_URL = re.compile(r"^\s*(?:(?:https?|ftp|wss?|gopher|file):|[a-z][a-z0-9+.\-]*:)?\s*[/\\]{2}", re.I)
_FETCH_ATTRS = ("src", "srcset", "data", "poster", "background", "lowsrc", "dynsrc", "longdesc", "codebase",
                "archive", "code", "classid", "manifest", "icon", "profile", "ping", "action", "formaction",
                "imagesrcset", "xlink:href", "href")
_CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?\s*(?:(?:https?|ftp):)?//[^)]*\)|@import\s+(?:url\()?\s*['"]?[^;'")]*//[^;]*;?|image-set\([^)]*//[^)]*\))""", re.I)
_FETCHING_TAGS = {"img", "image", "iframe", "frame", "object", "embed", "video", "audio", "source", "track",
                  "picture", "input", "applet", "portal", "frameset", "feimage", "use", "script", "link"}


def _is_remote(value: str) -> bool:
    value = "".join(ch for ch in value if ch >= " ")  # browsers drop tabs and line breaks inside URLs
    parts = [part.strip().split(" ")[0] for part in value.split(",")] if "," in value else [value]
    return any(_REMOTE_URL.match(part) or part.strip().lower().startswith(("http:", "https:", "ftp:"))
               for part in parts if part.strip())


def neutralise_remote(page: str) -> tuple[str, list[str]]:
    """The page with everything that would fetch from another host turned into inert text.

    Learners' Markdown and outputs can hold ``<img>`` (``src``, ``srcset``), CSS
    ``url()`` and ``@import`` (in ``style`` attributes or ``<style>``), ``<object data>``,
    ``<iframe>``, ``<embed>``, ``<video poster>``, ``<link>``, SVG ``href``/``xlink:href``,
    ``<meta http-equiv="refresh">``, ``<base>`` ... Each such element is replaced by
    a short text naming what was removed; links (``<a href>``) stay, since only a
    reader's click follows them. Inline event handlers (``onerror=``...) go too.
    A Content-Security-Policy (:data:`CSP`) is added as a second wall. Returns the
    new page and the list of what was neutralised.
    """
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(page, "html.parser")
    removed: list[str] = []
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment) and "[if" in s):
        comment.extract()  # conditional comments can carry markup for old browsers
    for tag in list(soup.find_all(True)):
        if tag.decomposed if hasattr(tag, "decomposed") else False:
            continue
        name = tag.name.lower()
        if name in ("base",) or (name == "meta" and str(tag.get("http-equiv") or "").lower() in ("refresh", "link")):
            removed.append(f"<{name}>")
            tag.decompose()
            continue
        for attribute in list(tag.attrs):
            if attribute.lower().startswith("on"):
                del tag[attribute]
                removed.append(f"{name} {attribute}")
        remote_attrs = []
        for attribute, value in list(tag.attrs.items()):
            key = attribute.lower()
            if key not in _FETCH_ATTRS:
                continue
            text = " ".join(value) if isinstance(value, list) else str(value)
            if key == "href" and name == "a":
                if text.strip().lower().startswith(("javascript:", "vbscript:")):
                    del tag[attribute]
                    removed.append("a javascript:")
                continue
            if _is_remote(text):
                remote_attrs.append((attribute, text))
        if remote_attrs:
            shown = remote_attrs[0][1].strip()[:200]
            removed.append(f"<{name} {remote_attrs[0][0]}={shown}>")
            if name in ("link", "script", "meta"):
                tag.decompose()  # page furniture, not learner content: nothing to say in its place
                continue
            if name in _FETCHING_TAGS or name in ("svg",):
                label = soup.new_tag("span", attrs={"class": "sp-removed"})
                alt = tag.get("alt") or tag.get("title") or ""
                label.string = f"[{name} from {shown} not loaded{': ' + str(alt) if alt else ''}]"
                tag.replace_with(label)
                continue
            for attribute, _ in remote_attrs:
                del tag[attribute]
        style = tag.get("style")
        if isinstance(style, str) and _CSS_REMOTE.search(style):
            tag["style"] = _CSS_REMOTE.sub("none", style)
            removed.append(f"{name} style url()")
        if name == "style" and tag.string and _CSS_REMOTE.search(tag.string):
            removed.append("<style> url()/@import")
            tag.string = _CSS_REMOTE.sub("none", tag.string)
    head = soup.find("head")
    policy = soup.new_tag("meta", attrs={"http-equiv": "Content-Security-Policy", "content": CSP})
    if head is not None:
        head.insert(0, policy)
    else:
        soup.insert(0, policy)
    return str(soup), removed


def fetching_references(page: str) -> list[str]:
    """Everything in ``page`` that would make a browser fetch from another host (the check after
    :func:`neutralise_remote`): remote ``src``/``srcset``/``data``/``poster``/... attributes,
    ``href`` outside ``<a>``, CSS ``url()``/``@import``, refresh and base tags."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    found: list[str] = []
    for tag in soup.find_all(True):
        name = tag.name.lower()
        if name == "base" or (name == "meta" and str(tag.get("http-equiv") or "").lower() == "refresh"):
            found.append(str(tag)[:200])
        for attribute, value in tag.attrs.items():
            key = attribute.lower()
            text = " ".join(value) if isinstance(value, list) else str(value)
            if key in _FETCH_ATTRS and not (key == "href" and name == "a") and _is_remote(text):
                found.append(f"<{name} {attribute}={text[:200]}>")
            if key == "style" and _CSS_REMOTE.search(text):
                found.append(f"<{name} style={text[:200]}>")
        if name == "style" and tag.string and (remote := _CSS_REMOTE.search(tag.string)):
            found.append(remote.group(0)[:200])
    return found
