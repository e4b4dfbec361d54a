"""A file upload that checks the size in the browser, before any byte is sent.

Why not ``ipywidgets.FileUpload``: it reads the whole file in the browser and sends it
to the kernel in one websocket message. Tornado (Jupyter Server, Voila) closes the
connection on a message over ``websocket_max_message_size`` (10 MiB by default), so a
large file made the page lose its kernel with no message at all. Raising the server
limit only moves the cliff (and is per-deployment configuration). Checking
``File.size`` in the browser covers every size: a file over ``max_bytes`` is never
read, only its name and size are sent, and the tool shows its own "too large"
message. The kernel checks the size again (a modified page cannot bypass it).

Interface: like ``FileUpload`` for the tools' observers. ``value`` (Python side only)
becomes ``({"name", "type", "size", "content": memoryview, "too_large": bool},)``
after each choice; observe it with ``names="value"`` and set it back to ``()``.
``description`` is the visible label; ``accept`` as in ``<input type=file>``.
The front-end logic is a few lines of ES module run by ``anywidget``
(loaded from the installed lab extension; nothing comes from the internet).
"""
from __future__ import annotations

import anywidget
import traitlets

MAX_UPLOAD_BYTES = 5_000_000
"""Largest draft or plan file accepted, in bytes: far above any real one, below Tornado's 10 MiB."""

_ESM = r"""
function render({ model, el }) {
  const label = document.createElement("label");
  label.className = "sp-upload jupyter-button widget-button";
  const text = document.createElement("span");
  const input = document.createElement("input");
  input.type = "file";
  input.className = "sp-upload-input";
  label.append(text, input);
  el.append(label);
  const sync = () => {
    text.textContent = model.get("description");
    input.accept = model.get("accept");
    input.disabled = model.get("disabled");
    input.setAttribute("aria-label", model.get("description"));
  };
  sync();
  model.on("change:description", sync);
  model.on("change:accept", sync);
  model.on("change:disabled", sync);
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    const meta = { event: "file", name: file.name, type: file.type, size: file.size };
    if (file.size > model.get("max_bytes")) {
      model.send({ ...meta, event: "too_large" });  // the bytes never leave the browser
      return;
    }
    const buffer = await file.arrayBuffer();
    model.send(meta, undefined, [buffer]);
  });
}
export default { render };
"""

_CSS = """
.sp-upload { display: inline-flex; align-items: center; gap: 0.5em; cursor: pointer; width: auto;
  height: auto; min-height: var(--jp-widgets-inline-height, 28px); padding: 2px 8px; flex-wrap: wrap;
  max-width: 100%; box-sizing: border-box; white-space: normal; }
.sp-upload-input { max-width: 100%; min-width: 0; font: inherit; }
.sp-upload:focus-within { outline: 2px solid #1f4e99; outline-offset: 2px; }
"""


class SizeCheckedUpload(anywidget.AnyWidget):
    """A file chooser whose size limit is enforced in the browser (see the module docstring)."""

    _esm = _ESM
    _css = _CSS
    description = traitlets.Unicode("").tag(sync=True)
    accept = traitlets.Unicode(".json,application/json").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    max_bytes = traitlets.Int(MAX_UPLOAD_BYTES).tag(sync=True)
    value = traitlets.Tuple(())  # Python side only: the file is never echoed back to the browser

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._received)

    def _received(self, _widget, content, buffers) -> None:
        if not isinstance(content, dict) or content.get("event") not in ("file", "too_large"):
            return
        data = bytes(buffers[0]) if buffers and content["event"] == "file" else b""
        size = max(int(content.get("size") or 0), len(data))
        self.receive(str(content.get("name", "")), data, size=size, mime=str(content.get("type", "")))

    def receive(self, name: str, data: bytes, size: int | None = None, mime: str = "") -> None:
        """What the browser sends (also the entry point for tests)."""
        size = len(data) if size is None else size
        too_large = size > self.max_bytes or len(data) > self.max_bytes
        self.value = ({"name": name, "type": mime, "size": size, "too_large": too_large,
                       "content": memoryview(b"" if too_large else data)},)
