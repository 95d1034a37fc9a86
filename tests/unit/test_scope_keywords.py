"""`scope` and `viewer` are keyword-only in every query function: two arguments of which one
decides what may be seen must never be passable in the wrong order."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "lagesbild"
MODULES = [*sorted((SRC / "queries").glob("*.py")), SRC / "ui" / "data.py"]


def positional(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for arg in node.args.posonlyargs + node.args.args:
                if arg.arg in ("scope", "viewer"):
                    found.append(f"{node.name}({arg.arg}) line {node.lineno}")
    return found


def test_scope_and_viewer_are_keyword_only():
    offenders = {
        path.relative_to(SRC).as_posix(): found
        for path in MODULES
        if (found := positional(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_check_sees_a_positional_viewer():
    assert positional(ast.parse("def f(conn, viewer, *, scope): pass")) == ["f(viewer) line 1"]
    assert positional(ast.parse("def f(conn, *, scope, viewer): pass")) == []
