"""The domain imports the standard library alone: no database, no network, no frameworks."""

import ast
import sys
from pathlib import Path

import pytest

import credo.domain

DOMAIN = Path(credo.domain.__file__).parent
MODULES = sorted(DOMAIN.rglob("*.py"))


def imported_names(tree: ast.AST) -> list[tuple[str, int]]:
    """(module name, relative level) of every import; `from . import x` has level 1."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append((node.module or "", node.level))
    return names


def is_allowed(name: str, level: int) -> bool:
    if level > 0:
        return True
    top = name.split(".")[0]
    return top in sys.stdlib_module_names or top == "__future__" or (
        name == "credo.domain" or name.startswith("credo.domain.")
    )


def test_there_are_domain_modules_to_check():
    assert {"money.py", "records.py", "terms.py", "aging.py"} <= {m.name for m in MODULES}


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_each_domain_module_imports_only_the_standard_library_and_the_domain(module):
    tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
    foreign = [name for name, level in imported_names(tree) if not is_allowed(name, level)]
    assert foreign == [], f"{module.name} imports {foreign}"


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ("import decimal", True),
        ("from datetime import date", True),
        ("from credo.domain.money import ZERO", True),
        ("from . import money", True),
        ("import sqlalchemy", False),
        ("from credo.store import tables", False),
        ("import credo", False),
    ],
)
def test_the_purity_check_tells_allowed_from_foreign_imports(source, allowed):
    assert all(is_allowed(*name) for name in imported_names(ast.parse(source))) is allowed
