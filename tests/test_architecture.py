"""The package layout of issue 14, checked on the source: which package may import which, where the
terminal libraries and the environment may be used, and how long a module may grow.

Imports are read with ``ast`` (including the lazy ones inside functions), so nothing is imported.
Each rule has a set of today's known offenders; a new offender fails the test, and so does an
offender that is gone but still listed, so the sets only ever shrink.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "fxfk"

# Lower layers never import higher ones. "" is the package's own top-level modules (errors,
# diagnostics), which everything may use. Packages of the same layer do not import each other.
LAYERS = {
    "": 0,
    "models": 1,
    "load": 2,
    "tasks": 3,  # below rules: the task-table checks in rules.repository use tasks.deadline
    "rules": 4,
    "public": 5,  # the public view: computed content that render/ draws
    "diff": 5,
    "render": 6,
    "publish": 7,
    "edit": 7,
    "report": 8,
    "api": 9,  # fxfk/__init__.py: the library API, a function per command over everything below
    "cli": 10,
}

# (importing module, imported module) against the layers: none left (issue 14).
UPWARD_IMPORTS: set[tuple[str, str]] = set()

TERMINAL_LIBRARIES = {"typer", "click", "rich"}

# (module, variable) read from os.environ outside cli/.
ENVIRONMENT_ALLOWED = {
    ("fxfk.load.cache", "XDG_CACHE_HOME"),  # where the cache key lives, as every tool finds it
}
ENVIRONMENT_READERS: set[tuple[str, str]] = set()  # none left: the CLI reads them and passes fxfk.options.Options

MAX_LINES = 400
OVERSIZED: set[str] = set()  # issue 14 step 2 split them all


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, tuple[Path, ast.Module]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        found[module_name(path)] = (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def package_of(module: str) -> str:
    """The package a module belongs to: ``fxfk.load.cache`` is in ``load``; ``fxfk.errors`` in ``""``."""
    if module == "fxfk.__main__":
        return "cli"  # the entry point only calls the CLI
    if module == "fxfk":
        return "api"
    parts = module.split(".")
    if len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return ""


def imported(tree: ast.Module) -> set[str]:
    """Every module an import statement names, anywhere in the file; ``from a import b`` names
    ``a.b`` when that is a module of fxfk, else ``a``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if (node.module, alias.name) == ("fxfk", "__version__"):
                    continue  # a constant kept in the package for packaging tools, not the API
                child = f"{node.module}.{alias.name}"
                names.add(child if child in modules() else node.module)
    return names


def fxfk_imports() -> set[tuple[str, str]]:
    return {
        (module, name)
        for module, (_, tree) in modules().items()
        for name in imported(tree)
        if name == "fxfk" or name.startswith("fxfk.")
    }


def test_modules_found():
    assert {"fxfk.load.repository", "fxfk.rules.register", "fxfk.cli.app"} <= modules().keys()
    assert {package_of(m) for m in modules()} == LAYERS.keys()


def test_load_imports_nothing_above_models():
    forbidden = {"rules", "tasks", "render", "publish", "report", "diff", "edit", "cli"}
    offenders = {
        (module, name)
        for module, name in fxfk_imports()
        if package_of(module) == "load" and package_of(name) in forbidden
    }
    assert offenders - UPWARD_IMPORTS == set()


def test_packages_import_only_lower_layers():
    """No import cycle between packages: every import goes down the layers."""
    upward = {
        (module, name)
        for module, name in fxfk_imports()
        if package_of(module) != package_of(name) and LAYERS[package_of(name)] >= LAYERS[package_of(module)]
    }
    assert upward - UPWARD_IMPORTS == set(), "new import against the layers"
    assert UPWARD_IMPORTS - upward == set(), "fixed: remove it from UPWARD_IMPORTS"


def test_terminal_libraries_only_in_cli():
    offenders = {
        (module, name)
        for module, (_, tree) in modules().items()
        for name in imported(tree)
        if name.split(".")[0] in TERMINAL_LIBRARIES and package_of(module) != "cli"
    }
    assert offenders == set()


def environment_reads(tree: ast.Module) -> set[str]:
    """The variables a module reads from the environment; ``?`` when the name is not a literal."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def literal(node) -> str:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else "?"

    reads = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            reads.update("?" for alias in node.names if alias.name in ("environ", "getenv", "environb"))
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os"):
            continue
        parent = parents.get(node)
        if node.attr == "getenv":
            reads.add(literal(parent.args[0]) if isinstance(parent, ast.Call) and parent.args else "?")
        elif node.attr in ("environ", "environb"):
            if isinstance(parent, ast.Subscript):
                reads.add(literal(parent.slice))
            elif isinstance(parent, ast.Attribute) and isinstance(parents.get(parent), ast.Call) and parents[parent].args:
                reads.add(literal(parents[parent].args[0]))
            else:
                reads.add("?")
    return reads


def test_environment_read_only_in_cli():
    reads = {
        (module, name)
        for module, (_, tree) in modules().items()
        if package_of(module) != "cli"
        for name in environment_reads(tree)
    }
    assert reads - ENVIRONMENT_ALLOWED - ENVIRONMENT_READERS == set(), "read it in cli/ and pass it as an argument"
    assert ENVIRONMENT_READERS - reads == set(), "fixed: remove it from ENVIRONMENT_READERS"


@pytest.mark.parametrize("source", ['os.environ["A"]', 'os.environ.get("A", "")', 'os.getenv("A")'])
def test_environment_reads_are_seen(source):
    assert environment_reads(ast.parse(f"import os\n{source}\n")) == {"A"}


def test_modules_are_short():
    lengths = {module: len(path.read_text(encoding="utf-8").splitlines()) for module, (path, _) in modules().items()}
    long = {module for module, n in lengths.items() if n > MAX_LINES}
    assert long - OVERSIZED == set(), f"split modules over {MAX_LINES} lines"
    assert OVERSIZED - long == set(), "short now: remove it from OVERSIZED"
