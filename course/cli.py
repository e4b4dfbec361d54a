"""``sp-course``: set up the course and run its maintenance checks.

    sp-course install                 put the Voila template and server settings into this environment
    sp-course check                   gettext catalogues against the source (keys missing, untranslated, stale)
    sp-course parity [--sync PATH..]  each English notebook against its Chinese counterpart
    sp-course build-exercises         rebuild solutions/ from the specs and exercises/ with nbgrader
    sp-course build-exercises --check only list the files in solutions/ that are out of date

``install`` works from an installed wheel. ``parity`` and ``build-exercises``
work on a source checkout of the course (the folder with ``modules/`` and
``solutions/``): ``--root``, else ``$SP_COURSE_SOURCE``, else the current folder
or the checkout this package was installed from (editable installs).

Messages a facilitator sees (``install`` and errors) go through the gettext
catalogues; ``--lang zh|en`` (default ``$SP_COURSE_LANG``, else English) picks
the language. ``--help`` is in English, like the maintainer tools it calls.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .i18n import normalise_lang, t

SOURCE_ENV = "SP_COURSE_SOURCE"


class SourceNotFound(RuntimeError):
    """No course source checkout where the command needs one."""

    def __init__(self, looked_in: list[Path]):
        super().__init__(", ".join(str(p) for p in looked_in))
        self.looked_in = looked_in


def default_lang() -> str:
    """``$SP_COURSE_LANG`` when it names a course language, else ``"en"`` (as ``sp-facilitator``)."""
    try:
        return normalise_lang(os.environ.get("SP_COURSE_LANG", ""))
    except ValueError:
        return "en"


def is_source_root(path: Path, needs: tuple[str, ...]) -> bool:
    return all((path / name).is_dir() for name in needs)


def source_root(value: str | None, needs: tuple[str, ...]) -> Path:
    """The course checkout to work on: ``value``, ``$SP_COURSE_SOURCE``, the current folder, the package's checkout.

    An explicit ``value`` or environment variable is used as given (and must hold
    ``needs``); otherwise the first candidate that holds every folder in ``needs``.
    Raises :class:`SourceNotFound` listing where it looked.
    """
    explicit = value or os.environ.get(SOURCE_ENV)
    if explicit:
        candidates = [Path(explicit).expanduser().resolve()]
    else:
        candidates = [Path.cwd().resolve(), Path(__file__).resolve().parents[1]]
    for candidate in candidates:
        if is_source_root(candidate, needs):
            return candidate
    raise SourceNotFound(candidates)


def _install(args: argparse.Namespace) -> int:
    from . import install

    forwarded = [f"--prefix={args.prefix}"] if args.prefix else []
    forwarded += ["--hub"] if args.hub else []
    forwarded += ["--facilitator"] if args.facilitator else []
    forwarded += [f"--course={args.course}"] if args.course else []
    code = install.main(forwarded)
    print(t("cli.install.done", args.lang))
    return code or 0


def _check(args: argparse.Namespace) -> int:
    from . import i18n_tools

    return i18n_tools.main(["check"])


def _parity(args: argparse.Namespace) -> int:
    from . import parity

    root = source_root(args.root, ("modules",))
    if args.sync is not None:
        paths = [Path(p).resolve() for p in args.sync] or None
        for line in parity.sync(paths, root=root / "modules"):
            print(line)
        return 0
    problems = parity.check(root / "modules")
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _build_exercises(args: argparse.Namespace) -> int:
    from .grading import authoring

    root = source_root(args.root, ("solutions", "exercises"))
    argv = ["--root", str(root)]
    argv += ["--check"] if args.check else ["--exercises"]
    return authoring.main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sp-course",
        description="Set up the UN Special Procedures course and run its maintenance checks.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", type=normalise_lang, default=None,
                        help="language of the messages: zh or en (default: $SP_COURSE_LANG, else en)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from .install import build_parser as install_options

    p = sub.add_parser("install", parents=[common, install_options(add_help=False)],
                       help="install the Voila template and Jupyter Server settings into this environment")
    p.set_defaults(run=_install)

    p = sub.add_parser("check", parents=[common],
                       help="check the gettext catalogues against the source (same as python -m course.i18n_tools check)")
    p.set_defaults(run=_check)

    p = sub.add_parser("parity", parents=[common],
                       help="check that each English notebook matches its Chinese counterpart")
    p.add_argument("--root", help=f"course source checkout (default: ${SOURCE_ENV}, else the current folder)")
    p.add_argument("--sync", nargs="*", metavar="PATH",
                   help="record both sides of these pairs (all pairs if no PATH) as reviewed together")
    p.set_defaults(run=_parity)

    p = sub.add_parser("build-exercises", parents=[common],
                       help="rebuild solutions/ from the specs and exercises/ with nbgrader generate_assignment")
    p.add_argument("--root", help=f"course source checkout (default: ${SOURCE_ENV}, else the current folder)")
    p.add_argument("--check", action="store_true",
                   help="only list the files in solutions/ that are out of date (exit status 1 if any)")
    p.set_defaults(run=_build_exercises)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sp-course`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.lang = args.lang or default_lang()
    try:
        return int(args.run(args))
    except SourceNotFound as exc:
        print(t("cli.error.no_source", args.lang, looked_in=", ".join(map(str, exc.looked_in)),
                env=SOURCE_ENV), file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
