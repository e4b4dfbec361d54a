"""One-click downloads of what is on screen now, typed text included.

Why not ``<a download href="data:...">`` links in an HTML widget (the earlier design):
the kernel had to rebuild every file after each change, the links were hidden while
that ran (so a click right after typing found nothing, or an older file), and the
files' bytes sat in the widget's state, where a browser could save typed text into a
notebook. Here the page shows one button per file and nothing else; the file is built
when it is asked for:

1. On click, the browser first lets every field say what it holds: a focused text
   field is blurred (its ``change`` event syncs it, even where a click does not move
   the focus, as in Safari), then it waits until no widget model still holds an unsent
   update (ipywidgets sends at most one update per model at a time and keeps the
   latest one back until the kernel answers: on a 562 ms link that can be a second).
2. It then asks the kernel for the file by number. Messages reach the kernel in the
   order they were sent and the kernel handles them one at a time, so the request is
   answered after every update typed before the click.
3. The kernel builds the file from its current data and sends the bytes back in a
   message buffer (never in widget state); the browser saves them as a Blob with the
   file name. Nothing is written to disk by the kernel.

Interface for the views: ``Downloads(files, note)``, where ``files()`` returns
``[(filename, label, payload), ...]`` and ``payload`` is the file's bytes or, better, a
function that returns them (only the file clicked is built). File names and labels are
in the widget's state, so they must not contain typed text. :meth:`Downloads.build` is
the kernel's side of a click (also the entry point for tests).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import anywidget
import traitlets

from .common import MIME, log_failure

Payload = bytes | Callable[[], bytes]
FileEntry = tuple[str, str, Payload]

_ESM = r"""
const tick = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every widget model of the page, if the manager lets us see them (ipywidgets' ManagerBase
// keeps them in _models; nothing else lists them). Without it the request is sent at once.
async function allModels(manager) {
  const promises = manager && manager._models ? Object.values(manager._models) : [];
  const settled = await Promise.allSettled(promises);
  return settled.filter((s) => s.status === "fulfilled" && s.value).map((s) => s.value);
}

async function flushTypedText(model) {
  const active = document.activeElement;
  if (active && /^(INPUT|TEXTAREA)$/.test(active.tagName) && active.closest(".jupyter-widgets")) {
    active.blur();  // fires "change": a field that syncs on blur sends what was typed
  }
  const models = await allModels(model.widget_manager);
  // ipywidgets keeps a model's newest update back while an earlier one awaits the kernel.
  // A closed model (e.g. a row the tool rebuilt) never sends its held-back update: skip it.
  const holding = (m) => m._msg_buffer && m.comm_live !== false && !m._closed;
  for (let waited = 0; waited < 120000; waited += 50) {
    if (!models.some(holding)) return;
    await tick(50);
  }
}

function save(name, mime, buffer) {
  const url = URL.createObjectURL(new Blob([buffer], { type: mime }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "sp-downloads";
  el.append(box);
  let next = 0;
  const waiting = new Map();  // request number -> button

  const draw = () => {
    box.replaceChildren();
    const files = model.get("files") || [];
    files.forEach((file, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sp-download";
      button.dataset.filename = file.filename;
      button.dataset.index = String(index);
      button.textContent = file.label;
      button.addEventListener("click", async () => {
        if (button.getAttribute("aria-busy") === "true") return;  // one request per button at a time
        button.setAttribute("aria-busy", "true");
        const request = ++next;
        waiting.set(request, button);
        setTimeout(() => {  // no answer (the kernel was lost): the button works again
          if (waiting.delete(request)) button.removeAttribute("aria-busy");
        }, 180000);
        try {
          await flushTypedText(model);
        } finally {
          model.send({ event: "download", index, filename: file.filename, request });
        }
      });
      box.append(button);
    });
    const note = model.get("note");
    if (files.length && note) {
      const span = document.createElement("span");
      span.className = "sp-download-note";
      span.textContent = note;
      box.append(span);
    }
    box.hidden = files.length === 0;
  };
  draw();
  model.on("change:files", draw);
  model.on("change:note", draw);
  model.on("msg:custom", (message, buffers) => {
    if (!message || !message.request) return;
    const button = waiting.get(message.request);
    waiting.delete(message.request);
    if (button) button.removeAttribute("aria-busy");
    if (message.event === "file" && buffers && buffers.length) {
      save(message.filename, message.mime, buffers[0]);
    }
  });
}
export default { render };
"""

_CSS = """
.sp-downloads { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; max-width: 100%; }
.sp-downloads[hidden] { display: none; }
button.sp-download { font: inherit; background: #fff; color: #1f4e99; border: 1px solid #1f4e99;
  border-radius: 4px; padding: 4px 10px; margin: 4px 0; cursor: pointer; max-width: 100%;
  white-space: normal; text-align: left; min-height: 2.4em; }
button.sp-download:hover, button.sp-download:focus-visible { background: #1f4e99; color: #fff; }
button.sp-download:focus-visible { outline: 3px solid #102a52; outline-offset: 2px; }
button.sp-download[aria-busy="true"] { cursor: progress; opacity: 0.75; }
.sp-download-note { color: #3b3b3b; font-size: 0.93em; }
"""


class Downloads(anywidget.AnyWidget):
    """One button per file; a click saves the file as it is at the moment of the click.

    ``files() -> [(filename, label, payload), ...]`` (an empty list shows nothing);
    ``payload`` is bytes or a function returning bytes. :meth:`refresh` redraws the
    buttons (after a change of language, or of what can be downloaded); :meth:`stale`
    does it once typing pauses. See the module docstring for how a click works.
    """

    _esm = _ESM
    _css = _CSS
    files = traitlets.List(traitlets.Dict()).tag(sync=True)  # [{"filename", "label"}]: never typed text
    note = traitlets.Unicode("").tag(sync=True)

    DELAY = 0.6
    """Seconds of quiet before the buttons are redrawn after a change (see :meth:`stale`)."""

    def __init__(self, files: Callable[[], Sequence[FileEntry]], note: str = "", *,
                 guard: Callable[[Callable], Callable] | None = None) -> None:
        super().__init__(layout={"width": "100%"})
        self._files = files
        self.note = note
        self.guard = guard  # e.g. ToolShell.guard: a failing build shows in the tool's status line
        self.add_class("sp-downloads-box")
        self._refresh_now = self.refresh
        self.on_msg(self._received)

    # ------------------------------------------------------------------ the buttons
    def refresh(self) -> None:
        """Redraw the buttons from ``files()`` (payloads are not built)."""
        self.files = [{"filename": name, "label": label} for name, label, _payload in self._files()]

    def stale(self) -> None:
        """What can be downloaded may have changed: redraw the buttons once changes pause.

        A click is always answered with the current data, so nothing is hidden meanwhile."""
        from .shell import _debounce

        _debounce(self, self.DELAY, self._refresh_now)

    # ------------------------------------------------------------------ a click
    def build(self, index: int, filename: str | None = None) -> tuple[str, str, bytes] | None:
        """The file behind button ``index`` as ``(filename, mime_type, bytes)``, built now.

        ``None`` when there is no such file any more (the data changed since the buttons
        were drawn; they are redrawn). ``filename`` (what the button showed) must have the
        entry's extension, so a stale button never saves another format (a date in the name
        may have moved on: the file gets today's name).
        """
        def kind(name: str) -> str:
            return name.rsplit(".", 1)[-1].lower()

        entries = list(self._files())
        if not 0 <= index < len(entries) or (filename is not None and kind(entries[index][0]) != kind(filename)):
            self.refresh()
            return None
        name, _label, payload = entries[index]
        data = payload() if callable(payload) else payload
        return name, MIME.get(kind(name), "application/octet-stream"), bytes(data)

    def click(self, index: int, filename: str | None = None) -> tuple[str, bytes] | None:
        """What a click on button ``index`` saves, as ``(filename, bytes)``: the kernel's side of a
        click, through the guard (a failing build shows in the status line and gives ``None``).
        Used by the browser's request and by tests."""
        build = self.guard(self.build) if self.guard is not None else self._logged_build
        built = build(index, filename)
        return None if built is None else (built[0], built[2])

    def _received(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("event") != "download":
            return
        request = content.get("request")
        index, name = content.get("index"), content.get("filename")
        if isinstance(index, int) and not isinstance(index, bool):
            saved = self.click(index, name if isinstance(name, str) else None)
            if saved is not None:
                filename, data = saved
                extension = filename.rsplit(".", 1)[-1].lower()
                self.send({"event": "file", "request": request, "filename": filename,
                           "mime": MIME.get(extension, "application/octet-stream")}, buffers=[data])
                return
        self.send({"event": "none", "request": request})  # nothing to save: the button stops waiting

    def _logged_build(self, index: int, filename: str | None) -> tuple[str, str, bytes] | None:
        try:
            return self.build(index, filename)
        except Exception as exc:  # noqa: BLE001 - a learner never sees a traceback
            log_failure("download failed", exc)
            return None
