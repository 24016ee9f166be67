"""The package's shape: stages as folders, data flowing one way, no import cycles, small modules.

Reads the source with `ast`; nothing is imported, so a broken module fails here with its name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "assistant"
MAX_LINES = 400

# Each module's stage and its rank: a module may import its own stage and lower ranks only.
RANK = {
    "errors": 0, "types": 0, "text": 0, "glossary": 1, "settings": 1,
    "corpus": 2, "index": 3, "ingest": 4, "retrieval": 4, "routing": 4, "answering": 5,
    "assistant": 6, "__init__": 7,
    "feedback": 8, "evaluation": 8, "web": 9, "cli": 9,
}
# Consumers of the pipeline read only the public API, the typed records and the stages named here.
# (evaluation also fits the answer stage's scorers and the routing screen, so it reads their feature names,
# model formats and the routing rules the screen is fitted beside)
CONSUMERS = {"evaluation": {"answering", "routing"}, "feedback": set(), "web": {"feedback"}, "cli": {"evaluation", "feedback"}}
PUBLIC = {"assistant", "assistant.types", "assistant.errors", "assistant.settings"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """Absolute names of the assistant modules an ImportFrom brings in."""
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join(parts[:keep] + ([node.module] if node.module else []))
    out = []
    for alias in node.names:
        full = f"{base}.{alias.name}"
        out.append(full if full in MODULES else base)
    return [m for m in out if m == "assistant" or m.startswith("assistant.")]


def imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported assistant module, line, inside a function) for every import in `module`."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            nested = node.col_offset > 0
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name == "assistant" or a.name.startswith("assistant.")]
            else:
                names = resolve(module, path.name == "__init__.py", node)
            out += [(n, node.lineno, nested) for n in names]
    return out


GRAPH = {m: sorted({n for n, _, _ in imports(m) if n in MODULES and n != m}) for m in MODULES}


def test_the_checker_sees_the_package():
    assert {"assistant.assistant", "assistant.answering.compose", "assistant.index.vectors", "assistant.cli.main"} <= set(MODULES)
    assert "assistant.types" in GRAPH["assistant.assistant"]


def find_cycle(graph: dict[str, list[str]]) -> list[str]:
    """A cycle of the graph as a path (first node repeated at the end), or []."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        stack.append(m)
        for n in graph.get(m, ()):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return []

    for m in graph:
        if m not in state and (found := visit(m)):
            return found
    return []


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": []}) == []


def test_no_import_cycles():
    assert find_cycle(GRAPH) == [], "import cycle: " + " → ".join(find_cycle(GRAPH))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_lower_stages_never_import_higher_ones(module):
    mine = stage_of(module)
    for target, line, _ in imports(module):
        theirs = stage_of(target)
        if theirs == mine:
            continue
        assert RANK[theirs] < RANK[mine], f"{module}:{line} imports {target}: stage {mine} must not import {theirs}"
        if mine in CONSUMERS:
            assert target in PUBLIC or theirs in CONSUMERS[mine], \
                f"{module}:{line} imports {target}: {mine} reads only the public API (assistant, types, errors, settings)"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_small(module):
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{module} has {n} lines (limit {MAX_LINES}): split it by what its parts do"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_sit_at_the_top_unless_deliberately_lazy(module):
    """An import inside a function is allowed only for a slow third-party library, with a comment saying why."""
    path = MODULES[module]
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.col_offset > 0:
            name = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            where = f"{module}:{node.lineno}"
            if isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{where}: a package import inside a function; move it to the top")
            assert not (name or "").startswith("assistant"), f"{where}: a package import inside a function"
            context = lines[max(0, node.lineno - 4):node.lineno]
            assert any("#" in c for c in context), f"{where}: lazy import of {name} without a comment saying why"


def test_only_the_vector_store_imports_chromadb():
    users = sorted(m for m, p in MODULES.items() if "import chromadb" in p.read_text(encoding="utf-8")
                   or "from chromadb" in p.read_text(encoding="utf-8"))
    assert users == ["assistant.index.vectors"]


def test_public_api():
    import assistant

    for name in ("open_assistant", "Assistant", "Settings", "Filters", "Answer", "Statement", "errors"):
        assert name in assistant.__all__ and hasattr(assistant, name)
    assert all(hasattr(assistant, n) for n in assistant.__all__)
