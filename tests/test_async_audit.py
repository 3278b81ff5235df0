"""DESIGN.md rule 3: everything in the service is async, and nothing blocks the loop.

The audit walks every module under src/ and fails on: a route handler that is not
`async def`; a sync `Session`, `sessionmaker`, `.query(` or `create_engine`; and a
blocking call (sleep, requests, sync file or socket I/O, subprocess) inside `async def`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "api_route"}
SYNC_DB_NAMES = {"Session", "sessionmaker", "create_engine", "scoped_session"}
BLOCKING_CALLS = {
    "time.sleep",
    "open",
    "input",
    "socket.socket",
    "socket.create_connection",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_output",
    "os.system",
    "urllib.request.urlopen",
}
BLOCKING_PREFIXES = ("requests.", "urllib3.", "http.client.")
BLOCKING_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes"}


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def is_route_decorator(decorator: ast.expr) -> bool:
    return (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in HTTP_METHODS
        and dotted(decorator.func.value).split(".")[-1] in {"router", "app", "api"}
    )


class AsyncAudit(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[str] = []
        self.async_depth = 0
        self.sqlalchemy_names: set[str] = set()

    def flag(self, node: ast.AST, message: str) -> None:
        self.findings.append(f"{self.path}:{getattr(node, 'lineno', 0)}: {message}")

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if any(is_route_decorator(d) for d in node.decorator_list):
            self.flag(node, f"route handler '{node.name}' is not async def")
        depth, self.async_depth = self.async_depth, 0  # a nested sync def runs elsewhere
        self.generic_visit(node)
        self.async_depth = depth

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.async_depth += 1
        self.generic_visit(node)
        self.async_depth -= 1

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if (node.module or "").startswith("sqlalchemy"):
            for alias in node.names:
                self.sqlalchemy_names.add(alias.asname or alias.name)
                if alias.name in SYNC_DB_NAMES:
                    self.flag(node, f"sync database API '{alias.name}' imported")
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name in {"requests", "urllib3"}:
                self.flag(node, f"blocking HTTP library '{alias.name}' imported")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = dotted(node.func)
        sync_constructor = name in SYNC_DB_NAMES and name in self.sqlalchemy_names
        if name.endswith((".query", ".create_engine", ".sessionmaker")) or sync_constructor:
            self.flag(node, f"sync database call '{name}('")
        if self.async_depth and self._blocks(name):
            self.flag(node, f"blocking call '{name}(' inside async def")
        self.generic_visit(node)

    @staticmethod
    def _blocks(name: str) -> bool:
        return (
            name in BLOCKING_CALLS
            or name.startswith(BLOCKING_PREFIXES)
            or name.rsplit(".", 1)[-1] in BLOCKING_METHODS
        )


def audit_source(source: str, path: str = "<string>") -> list[str]:
    auditor = AsyncAudit(path)
    auditor.visit(ast.parse(source))
    return auditor.findings


def test_source_tree_is_async_throughout() -> None:
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 20, "the audit found too few modules: wrong path?"
    findings = [
        finding
        for path in files
        for finding in audit_source(path.read_text(), str(path.relative_to(SRC)))
    ]
    assert findings == []


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("@router.get('/x')\ndef handler():\n    return 1\n", "is not async def"),
        ("from sqlalchemy.orm import Session\n", "sync database API 'Session'"),
        ("def f(db):\n    return db.query(User).all()\n", "sync database call"),
        ("from sqlalchemy import create_engine\n", "sync database API 'create_engine'"),
        ("import sqlalchemy\nengine = sqlalchemy.create_engine('x')\n", "sync database call"),
        ("import time\nasync def f():\n    time.sleep(1)\n", "blocking call 'time.sleep("),
        ("async def f():\n    return open('x').read()\n", "blocking call 'open("),
        ("async def f(p):\n    return p.read_text()\n", "blocking call 'p.read_text("),
        ("import requests\n", "blocking HTTP library 'requests'"),
        ("async def f():\n    requests.get('http://x')\n", "blocking call 'requests.get("),
    ],
)
def test_audit_catches_each_pattern(snippet: str, expected: str) -> None:
    findings = audit_source(snippet)
    assert any(expected in finding for finding in findings), findings


def test_audit_allows_sync_work_outside_async_code() -> None:
    assert audit_source("from residency.core.calendar import Session\nSession('AM')\n") == []
    assert audit_source("def cli(p):\n    return p.read_text()\n") == []
    assert audit_source("@router.get('/x')\nasync def handler():\n    return 1\n") == []
