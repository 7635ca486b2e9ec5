"""Where the running fxfk came from: the git repository and commit a new data repository's CI installs.

fxfk is not on a package index, so the CI files ``fxfk init`` writes install it with
``pip install "fxfk @ git+URL@COMMIT"``: the same fxfk that wrote them, byte for byte. The commit and
the URL are found, in this order:

* fxfk installed by pip from git (``pip install "fxfk @ git+URL"``): pip records both in the
  distribution's ``direct_url.json`` (PEP 610);
* fxfk run from a git checkout (``pip install -e .`` or ``PYTHONPATH``): ``git rev-parse HEAD`` of
  that checkout, and its ``origin`` remote's URL when it has one.

``--source URL`` replaces the URL (a mirror the CI can reach), never the commit. Without any URL
``fxfk init`` refuses: a CI file that cannot install fxfk fails on its first run, long after the
person who ran ``init`` has moved on. Without a commit (fxfk installed from a wheel or a folder that
is not a git checkout) the line installs the URL's default branch, and ``init`` says so.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
# What pip accepts after "git+" and a shell's double quotes keep as they are: a scheme and no
# quote, dollar, backquote, backslash or whitespace (the line is `pip install "fxfk @ git+URL@…"`).
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'`$\\]+")


@dataclass(frozen=True)
class Origin:
    url: str | None  # a git URL pip can clone (https://, ssh://, file://…)
    commit: str | None  # the full commit id of the running fxfk
    how: str  # how the commit was found, for the CI file's comment (Chinese)

    def pip_requirement(self) -> str:
        """``fxfk @ git+URL@COMMIT`` (needs a URL)."""
        assert self.url is not None
        url = self.url if self.url.startswith("git+") else "git+" + self.url
        # file:///path and file://localhost/path are the same to git; pip before 23.3 refuses the first
        # in a requirement (its URL check wants a host).
        if url.startswith("git+file:///"):
            url = "git+file://localhost/" + url[len("git+file:///"):]
        return f"fxfk @ {url}@{self.commit}" if self.commit else f"fxfk @ {url}"


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot go into ``pip install "fxfk @ git+URL@…"`` (None when it can)."""
    bare = url[4:] if url.startswith("git+") else url
    if _URL.fullmatch(bare):
        return None
    if re.fullmatch(r"[\w.-]+@[\w.-]+:\S+", bare):  # git@host:path, which pip does not take
        return "pip 不认“用户@主机:路径”的写法，请写成 ssh://用户@主机/路径"
    return "应为 git 仓库地址，如 https://…/fxfk.git、ssh://git@…/fxfk.git 或 file:///…/fxfk，不能含空白、引号、$、` 或 \\"


def _git(folder: Path, *args: str) -> str | None:
    try:
        run = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):  # no git, or it hung
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def _from_pip() -> Origin | None:
    """The URL and commit pip recorded when it installed fxfk from git (PEP 610), else None."""
    from importlib import metadata

    try:
        raw = metadata.distribution("fxfk").read_text("direct_url.json")
        recorded = json.loads(raw) if raw else None
    except (metadata.PackageNotFoundError, ValueError):
        return None
    if not isinstance(recorded, dict):
        return None
    vcs = recorded.get("vcs_info")
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git":
        return None
    url, commit = recorded.get("url"), vcs.get("commit_id")
    if not isinstance(url, str) or not isinstance(commit, str) or not _COMMIT.fullmatch(commit):
        return None
    return Origin(url, commit, "pip 安装 fxfk 时记录的提交")


def _from_checkout() -> Origin | None:
    """HEAD of the git checkout fxfk runs from (and its origin remote), else None."""
    package = Path(__file__).resolve().parent.parent  # src/fxfk (this module is src/fxfk/edit/origin.py)
    top = _git(package, "rev-parse", "--show-toplevel")
    if top is None or not (Path(top) / "src" / "fxfk" / "__init__.py").is_file():
        return None  # not a checkout of fxfk (an unrelated repository around site-packages, say)
    commit = _git(package, "rev-parse", "HEAD")
    if commit is None or not _COMMIT.fullmatch(commit):
        return None
    url = _git(package, "remote", "get-url", "origin")
    if url is not None and url_problem(url) is not None:
        url = None  # git@host:path: the user gives a URL pip takes with --source
    return Origin(url, commit, "fxfk 检出目录的当前提交")


def find_origin(source: str | None) -> Origin:
    """Where the CI should install fxfk from; ``source`` (``--source``) replaces the URL found."""
    found = _from_pip() or _from_checkout() or Origin(None, None, "")
    return Origin(source, found.commit, found.how) if source is not None else found
