"""Write the README's two Binder badges for a GitHub repository.

    python scripts/binder_links.py --repo OWNER/REPO [--lang zh|en]

One badge opens the course home as a Voila app, the other JupyterLab on the same page.
"""
import argparse
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- binder-links:start -->\n).*?(<!-- binder-links:end -->)", re.S)


def badges(repo: str, lang: str) -> str:
    base = f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath="
    return (
        "[![Open the course home (Voilà app)](https://img.shields.io/badge/Binder-course%20home%20%28Voil%C3%A0%29-579aca)]"
        f"({base}voila/render/modules/{lang}/home.ipynb)\n"
        "[![Open in JupyterLab](https://img.shields.io/badge/Binder-JupyterLab-579aca)]"
        f"({base}lab/tree/modules/{lang}/home.ipynb)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True, help="GitHub OWNER/REPO")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    args = parser.parse_args()
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", args.repo):
        parser.error("--repo must look like OWNER/REPO")
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(lambda m: m.group(1) + badges(args.repo, args.lang) + m.group(2), text), encoding="utf-8")
    print(f"README badges now point at {args.repo}")


if __name__ == "__main__":
    main()
