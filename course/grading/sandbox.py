"""Run each submission's kernel in a sandbox: a copy, a fresh folder, no course, no network.

nbgrader's ``autograde`` runs every submission's code as the facilitator, in the
course folder (jupyter/nbgrader#483): an answer cell can read the gradebook, the
roster, the solutions and other participants' work, rewrite grades, or leave a
process behind. Here nbgrader's ``Execute`` step is replaced by
:class:`SandboxedExecute`, which:

- copies the notebook's folder (the participant's own files and the released
  helper files, nothing else) into a fresh temporary folder;
- starts the kernel under bubblewrap (``bwrap``, the sandbox Flatpak uses; Debian
  package ``bubblewrap``) in new user, PID, network, IPC, UTS and cgroup namespaces,
  with every capability dropped, an empty environment, a private ``/tmp`` and home,
  and read-only views of only what Python needs: ``/usr`` (and the ``/bin``,
  ``/lib*`` links), a few files of ``/etc``, the Python installation and virtual
  environment, and the course package and its data (its ``grading`` folder masked).
  The course folder, the gradebook, the roster, ``solutions/``, ``exercises/``,
  other submissions and the facilitator's home are simply not there;
- talks to the kernel over Unix sockets in a folder of its own (no network is
  needed, and there is none), and interrupts only the kernel on a cell timeout;
- ends the kernel's whole process tree when grading of the notebook ends, or when
  the grading process dies (``--die-with-parent``, and the PID namespace ends
  with its first process: a ``nohup`` daemon or a double fork dies with it);
- runs :mod:`course.grading.guard` before and after every test cell, and records
  what it finds in the notebook's metadata (``sp_grading``), which the grading
  parent turns into "check by hand" problems.

nbgrader's own steps after execution (``LimitOutput``, ``SaveAutoGrades``, ...) run
as usual in the grading process, which alone writes the gradebook.

Where no working sandbox exists (not Linux, ``bwrap`` missing, user namespaces
disabled), grading stops with :class:`SandboxUnavailable` unless the facilitator
chose ``SandboxedExecute.sandbox = "off"`` (``sp-facilitator autograde
--no-sandbox``): then the kernel runs unconfined, with the facilitator's rights,
in the temporary copy; the guard still runs.
"""
from __future__ import annotations

import ast
import json
import os
import secrets
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum

from ..i18n import N_, t
from . import guard

METADATA_KEY = "sp_grading"
"""Notebook metadata written by :class:`SandboxedExecute`: ``{"sandbox": "bwrap"|"off", "findings": [...]}``."""

JAIL_WORK = "/tmp/submission"
"""Where the copy of the notebook's folder appears inside the sandbox (the kernel's working folder)."""

_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "mime.types", "fonts",
        "ssl/openssl.cnf", "nsswitch.conf", "host.conf")
"""Files of ``/etc`` the kernel may need (libraries, time zone); no accounts, no hosts, no secrets."""


class SandboxUnavailable(RuntimeError):
    """No working sandbox on this machine; the message says why and what to do (in the chosen language)."""


def bwrap_path() -> str | None:
    """The ``bwrap`` executable: ``$SP_BWRAP`` if set, else on ``PATH``, else ``/usr/bin/bwrap``."""
    chosen = os.environ.get("SP_BWRAP")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    found = shutil.which("bwrap") or ("/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None)
    return found


def _course_paths() -> tuple[Path, Path]:
    import course
    from course import data

    return Path(course.__file__).resolve().parent, Path(data.DATA_DIR).resolve()


def _python_roots() -> list[Path]:
    """Folders that hold the Python installation and the environment the kernel runs from."""
    roots = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    roots.add(Path(sys.executable).resolve().parent.parent)
    # an environment's python is often a link to the system one: bind where it leads as well
    roots.add(Path(os.path.realpath(sys.executable)).parent.parent)
    # library folders added to sys.path from outside the environment (a .pth file, a
    # --system-site-packages venv): libraries only, so the kernel can import what grading needs
    roots.update(Path(p).resolve() for p in sys.path
                 if p and Path(p).is_dir() and Path(p).name in ("site-packages", "dist-packages"))
    return sorted(r for r in roots if r != Path("/") and not _under(r, Path("/usr")))


def _under(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def jail_arguments(work: Path, sockets: Path) -> list[str]:
    """bwrap's options for one kernel (without the executable and the command).

    ``work`` appears at :data:`JAIL_WORK` (read-write, the kernel's working folder);
    ``sockets`` at its own path (read-write: the kernel's Unix sockets and connection file).
    Raises :class:`FileNotFoundError` if a folder the kernel needs is missing.
    """
    args = ["--unshare-all", "--die-with-parent", "--cap-drop", "ALL", "--clearenv",
            "--hostname", "sandbox", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--ro-bind", "/usr", "/usr"]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / top
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in _ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for root in _python_roots():
        args += ["--ro-bind", str(root), str(root)]
    package, data_dir = _course_paths()
    args += ["--ro-bind", str(package), str(package), "--ro-bind-try", str(data_dir), str(data_dir)]
    grading = package / "grading"
    if grading.is_dir():  # the exercise specs hold the solutions and hidden tests
        args += ["--tmpfs", str(grading), "--remount-ro", str(grading)]
    args += ["--bind", str(work), JAIL_WORK, "--bind", str(sockets), str(sockets), "--chdir", JAIL_WORK]
    env = {"HOME": "/tmp/home", "TMPDIR": "/tmp", "PATH": "/usr/local/bin:/usr/bin:/bin",
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1",
           "IPYTHONDIR": "/tmp/home/.ipython", "MPLCONFIGDIR": "/tmp/home/.matplotlib",
           "JUPYTER_RUNTIME_DIR": "/tmp/home/runtime", "NBGRADER_EXECUTION": "autograde"}
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += ["--dir", "/tmp/home"]
    return args


@lru_cache(maxsize=1)
def check_sandbox() -> str | None:
    """``None`` when kernels can run in a sandbox here, else the message key saying why not.

    Tried for real: ``bwrap`` with the options used for grading runs ``true``.
    """
    if not sys.platform.startswith("linux"):
        return N_("grading.sandbox.not_linux")
    bwrap = bwrap_path()
    if bwrap is None:
        return N_("grading.sandbox.no_bwrap")
    import subprocess

    with tempfile.TemporaryDirectory(prefix="sp-sandbox-check-") as folder:
        work, sockets = Path(folder, "w"), Path(folder, "s")
        work.mkdir()
        sockets.mkdir()
        try:
            done = subprocess.run([bwrap, *jail_arguments(work, sockets), "--", sys.executable, "-c", "pass"],
                                  capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return N_("grading.sandbox.bwrap_failed")
    return None if done.returncode == 0 else N_("grading.sandbox.bwrap_failed")


def unavailable_message(reason_key: str, lang: str = "en") -> str:
    """The facilitator's explanation of why grading stopped, and the choice they have."""
    return t("grading.sandbox.unavailable", lang, reason=t(reason_key, lang))


# --------------------------------------------------------------------------- the kernel

class JailedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside bwrap, over Unix sockets.

    Set :attr:`jail` (bwrap's options, from :func:`jail_arguments`) before starting;
    ``None`` starts the kernel unconfined (``--no-sandbox``).
    """

    jail: list[str] | None = None

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        if self.jail is None:
            return command
        # bwrap dies of the SIGINT that interrupts a cell; the kernel handles it. An ignored
        # signal stays ignored across exec, so bwrap and its init ignore it, the kernel does not.
        return ["/bin/sh", "-c", 'trap "" INT; exec "$@"', "sp-sandbox", bwrap_path() or "bwrap", *self.jail,
                "--", *command]


class SandboxedExecute(Execute):
    """nbgrader's ``Execute``, with the kernel in a sandbox and the tests guarded.

    Put it in place of ``nbgrader.preprocessors.Execute`` in
    ``Autograde.autograde_preprocessors`` (the course's nbgrader_config.py does).
    ``Execute.timeout`` (per cell) and ``interrupt_on_timeout`` keep their meaning.
    """

    sandbox = Enum(["bwrap", "off"], default_value="bwrap",
                   help="'bwrap': each kernel in a bubblewrap sandbox (Linux); 'off': unconfined, "
                        "with the facilitator's rights (only when the facilitator chose it)").tag(config=True)
    guard_tests = Bool(True, help="restore the state the tests rely on before each test cell").tag(config=True)
    lang = Enum(["en", "zh"], default_value="en", help="language of the error when no sandbox exists").tag(
        config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", JailedKernelManager)
        super().__init__(*args, **kwargs)
        self._findings: list[str] = []
        self._nonce = ""
        self._jail: list[str] | None = None
        self._sockets: Path | None = None

    # nbclient makes the kernel manager; give it the jail and Unix sockets
    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if isinstance(km, JailedKernelManager) and self._sockets is not None and self._jail is not None:
            km.transport = "ipc"  # Unix sockets: the sandbox has no network (and Windows has no ipc)
            km.ip = str(self._sockets / "kernel")
            km.connection_file = str(self._sockets / "kernel.json")
            km.cache_ports = False
            km.jail = self._jail
        return km

    def preprocess(self, nb, resources=None, km=None):
        if self.sandbox == "bwrap":
            reason = check_sandbox()
            if reason:
                raise SandboxUnavailable(unavailable_message(reason, self.lang))
        resources = resources if resources is not None else {}
        metadata = resources.setdefault("metadata", {})
        original_path = metadata.get("path") or os.getcwd()
        self._findings = [f"answer cell {item}" for item in guard.scan_answers(nb)] if self.guard_tests else []
        self._nonce = secrets.token_hex(16)
        scratch = Path(tempfile.mkdtemp(prefix="sp-grade-"))
        try:
            os.chmod(scratch, 0o700)
            work, self._sockets = scratch / "work", scratch / "k"
            # links stay links: inside the sandbox whatever they point to on this machine is absent
            shutil.copytree(original_path, work, symlinks=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.orig"))
            self._sockets.mkdir()
            self._jail = jail_arguments(work, self._sockets) if self.sandbox == "bwrap" else None
            metadata["path"] = str(work)  # the kernel's folder (inside the sandbox it appears as JAIL_WORK)
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            metadata["path"] = original_path
            self._sockets = None
            shutil.rmtree(scratch, ignore_errors=True)
        nb.metadata[METADATA_KEY] = {"sandbox": self.sandbox, "findings": list(dict.fromkeys(self._findings))}
        return nb, resources

    # --- the guard around test cells

    def _guard(self, phase: str) -> None:
        if not self.guard_tests or self.kc is None:
            return
        try:
            reply = self._run_guard(phase)
        except Exception as exc:  # noqa: BLE001 - a kernel that will not run the guard is itself a finding
            self._findings.append(f"the test guard could not run before a test ({type(exc).__name__})")
            return
        content = reply.get("content", {})
        value = (content.get("user_expressions") or {}).get("sp") or {}
        text = (value.get("data") or {}).get("text/plain", "")
        try:
            result = json.loads(ast.literal_eval(text))  # the repr of a str, made by the guard
        except Exception:  # noqa: BLE001
            result = None
        if not isinstance(result, dict) or result.get("nonce") != self._nonce:
            self._findings.append("the test guard was blocked or answered wrongly: "
                                  + (f"{value.get('ename')}: {value.get('evalue', '')[:120]}" if value.get("ename")
                                     else text[:80] or content.get("status", "")))
            return
        self._findings += [str(item)[:300] for item in result.get("found", [])]

    def _run_guard(self, phase: str) -> dict:
        from nbclient.util import run_sync

        async def go():
            msg_id = self.kc.execute("", silent=True, store_history=False,
                                     user_expressions={"sp": guard.guard_expression(phase, self._nonce)})
            return await self.async_wait_for_reply(msg_id)

        return run_sync(go)() or {}

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        meta = cell.metadata.get("nbgrader", {}) if isinstance(cell.metadata, dict) else {}
        if self.code_cells_executed == 0:
            self._guard("init")
        is_test = bool(meta.get("grade")) and not meta.get("solution")
        if is_test:
            self._guard("pre")
        cell, resources = super().preprocess_cell(cell, resources, index)
        if is_test:
            self._guard("post")
        elif meta.get("locked") and not meta.get("solution"):
            self._guard("setup")
        return cell, resources


def findings(nb: dict) -> tuple[str | None, list[str]]:
    """``(sandbox mode, findings)`` recorded by :class:`SandboxedExecute` in an executed notebook."""
    record = (nb.get("metadata") or {}).get(METADATA_KEY)
    if not isinstance(record, dict):
        return None, []
    return record.get("sandbox"), [str(f) for f in record.get("findings") or []]


__all__ = ["SandboxedExecute", "SandboxUnavailable", "JailedKernelManager", "check_sandbox", "jail_arguments",
           "findings", "unavailable_message", "NotebookNode"]
