"""nbgrader's exchange on a shared machine (a JupyterHub): where it is, whether it is safe, who sent what.

On a hub every participant can write into the exchange, so a hostile participant
can try to rename the course's folder in it (and receive everyone's submissions)
or plant a submission under another participant's name. Three rules follow
(see ``docs/facilitator/*/hub.md``):

- the exchange root is ``1777`` (world-writable *and* sticky, like ``/tmp``) and
  owned by root: only an entry's owner may rename or delete it;
- homes are ``0700``: no participant reads another's notebooks, feedback or
  nbgrader's submission cache;
- a submission counts only when the Unix user who owns it on disk is the
  participant it names; roster ids are therefore the hub's user names.

Everything here is plain functions on paths; :mod:`course.grading.cli` prints
the results. Message keys are in the ``hub`` catalogue.
"""
from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..i18n import N_, t

DEFAULT_ROOT = "/srv/nbgrader/exchange"  # nbgrader's default ``Exchange.root``
REFUSED_PREFIX = ".refused+"
CONTAINER_USER = "jovyan"  # nbgrader.utils.get_username's shared container account  # nbgrader's collect ignores names starting with a dot


@dataclass(frozen=True)
class Problem:
    """Something unsafe on the shared machine: a message key and its values."""

    key: str
    values: dict

    def text(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.values)


def system_nbgrader_config():
    """nbgrader's configuration from Jupyter's config folders (``/etc/jupyter``, the environment's, ``~/.jupyter``).

    Loaded lowest priority first, as nbgrader itself does, but without the current
    folder: the course folder's own file is merged on top by the caller.
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, JSONFileConfigLoader, PyFileConfigLoader

    config = Config()
    for folder in reversed(jupyter_config_path()):
        for loader in (PyFileConfigLoader, JSONFileConfigLoader):
            name = "nbgrader_config." + ("py" if loader is PyFileConfigLoader else "json")
            try:
                config.merge(loader(name, path=folder).load_config())
            except ConfigFileNotFound:
                continue
    return config


def exchange_root(course_config, system_config=None) -> Path:
    """The exchange the participants use.

    ``course_config`` is the course folder's config (``load_config``); it wins when it
    sets ``Exchange.root`` (``SP_COURSE_EXCHANGE``). Otherwise the system config
    (``/etc/jupyter/nbgrader_config.py``, the participants' own), else nbgrader's default.
    """
    system_config = system_nbgrader_config() if system_config is None else system_config
    for config in (course_config, system_config):
        if "Exchange" in config and "root" in config.Exchange:
            return Path(config.Exchange.root)
    return Path(DEFAULT_ROOT)


def system_course_id(system_config=None) -> str | None:
    system_config = system_nbgrader_config() if system_config is None else system_config
    if "CourseDirectory" in system_config and "course_id" in system_config.CourseDirectory:
        return system_config.CourseDirectory.course_id
    return None


# --------------------------------------------------------------------------- checks

def exchange_problems(root: Path) -> list[Problem]:
    """Why the exchange root is unsafe or unusable (empty when it is ``1777`` and owned by root)."""
    root = Path(root)
    if not root.is_dir():
        return [Problem(N_("hub.exchange.missing"), {"path": root})]
    info = root.stat()
    problems = []
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o777 != 0o777:
        problems.append(Problem(N_("hub.exchange.not_writable"), {"path": root, "mode": f"{mode:04o}"}))
    if not mode & stat.S_ISVTX:
        problems.append(Problem(N_("hub.exchange.not_sticky"), {"path": root, "mode": f"{mode:04o}"}))
    if info.st_uid != 0:
        problems.append(Problem(N_("hub.exchange.not_root"), {"path": root, "owner": owner_name(info.st_uid)}))
    return problems


def home_problems(homes: Iterable[Path]) -> list[Problem]:
    """Homes that other users may read or enter (anything but ``0700``-like modes)."""
    problems = []
    for home in sorted(Path(h) for h in homes):
        if not home.is_dir():
            continue
        mode = stat.S_IMODE(home.stat().st_mode)
        if mode & 0o077:
            problems.append(Problem(N_("hub.home.open"), {"path": home, "mode": f"{mode:04o}"}))
    return problems


def user_homes(base: Path = Path("/home")) -> list[Path]:
    return sorted(p for p in Path(base).iterdir() if p.is_dir()) if Path(base).is_dir() else []


def python_paths() -> list[Path]:
    """What every hub user's server must be able to read: the interpreter, its environment, the course."""
    import course

    return [Path(os.path.realpath(sys.executable)), Path(sys.prefix), Path(sys.base_prefix),
            Path(course.__file__).resolve().parent]


def world_access_problems(paths: Iterable[Path]) -> list[Problem]:
    """Paths other users cannot reach: a folder on the way without ``o+x``, or the target without ``o+r``."""
    problems = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            continue
        blocked = [p for p in [*reversed(path.parents), path][1:] if p.is_dir() and not p.stat().st_mode & stat.S_IXOTH]
        if blocked or not path.stat().st_mode & stat.S_IROTH:
            problems.append(Problem(N_("hub.python.unreadable"), {"path": path, "blocked": blocked[0] if blocked else path}))
    return problems


def roster_problems(ids: Iterable[str], user_exists: Callable[[str], bool] | None = None) -> list[Problem]:
    """Roster ids with no Unix user of that name: nbgrader names submissions by user name."""
    user_exists = user_exists or _user_exists
    return [Problem(N_("hub.roster.no_user"), {"participant": pid}) for pid in sorted(ids) if not user_exists(pid)]


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def owner_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


# --------------------------------------------------------------------------- submissions

@dataclass(frozen=True)
class Refusal:
    """A submission in the inbound folder whose owner on disk is not the participant it names."""

    entry: str
    claimed: str
    owner: str
    moved_to: str

    def text(self, lang: str = "en") -> str:
        return t("hub.collect.refused", lang, entry=self.entry, claimed=self.claimed, owner=self.owner)


def refuse_impostors(inbound: Path, assignment: str,
                     owner_of: Callable[[Path], str] | None = None) -> list[Refusal]:
    """Set aside every ``<participant>+<assignment>+<time>+<random>`` entry not owned by ``<participant>``.

    nbgrader's collect takes each participant's newest entry and, for one owned by
    somebody else, only logs "cheating attempt?": a planted submission would
    replace the participant's real work. Here such an entry is renamed, in the same
    folder, to ``.refused+<name>``, which nbgrader's collect never picks up; nothing
    is deleted, so it stays as evidence. Needs write access to ``inbound``
    (the facilitator created it when releasing).
    """
    owner_of = owner_of or (lambda path: owner_name(path.lstat().st_uid))
    inbound = Path(inbound)
    if not inbound.is_dir():
        return []
    refused = []
    for entry in sorted(inbound.iterdir()):
        parts = entry.name.rsplit("+", 3)  # as nbgrader's collect reads it: ids may contain "+"
        if entry.name.startswith(".") or len(parts) != 4 or parts[1] != assignment:
            continue
        claimed = parts[0]
        owner = owner_of(entry)
        # In containers (Zero to JupyterHub) every user is "jovyan": nbgrader then names
        # submissions after JUPYTERHUB_USER, and the owner on disk tells nobody apart.
        if owner != claimed and owner != CONTAINER_USER:
            target = entry.with_name(REFUSED_PREFIX + entry.name)
            entry.rename(target)
            refused.append(Refusal(entry.name, claimed, owner, str(target)))
    return refused


def submitters(inbound: Path, assignment: str) -> set[str]:
    """Participant ids with an entry for ``assignment`` in ``inbound`` (refused ones excluded)."""
    names = set()
    if Path(inbound).is_dir():
        for entry in Path(inbound).iterdir():
            parts = entry.name.rsplit("+", 3)
            if not entry.name.startswith(".") and len(parts) == 4 and parts[1] == assignment:
                names.add(parts[0])
    return names


def nbgrader_warnings(log: str) -> list[str]:
    """Every warning or error nbgrader logged (``[WARNING] ...`` with its continuation lines)."""
    found: list[str] = []
    current: list[str] | None = None
    for line in (log or "").splitlines():
        if line.startswith("["):
            if current:
                found.append(" ".join(current))
            current = [line.strip()] if line.startswith(("[WARNING]", "[ERROR]", "[CRITICAL]")) else None
        elif current is not None and line.strip():
            current.append(line.strip())
    if current:
        found.append(" ".join(current))
    return found


def write_report(path: Path, assignment: str, refused: list[Refusal], warnings: list[str],
                 not_on_roster: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "assignment": assignment,
        "collected_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "refused": [r.__dict__ for r in refused],
        "not_on_roster": not_on_roster,
        "nbgrader_warnings": warnings,
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
