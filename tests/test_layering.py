"""The dependency arrows: ui -> assistant -> index; eval -> assistant, index; nothing -> ui."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "index": set(),
    "assistant": {"index"},
    "eval": {"assistant", "index"},
    "ui": {"assistant", "index"},
}
# the console script is the composition root: it alone reaches up into eval and ui
ROOT_MODULES = {"assistant/cli.py": {"eval", "ui"}}
PURE = [
    "index/blocks.py",
    "index/toc.py",
    "index/parse.py",
    "index/chunk.py",
    "index/records.py",
    "index/sentences.py",
    "assistant/query.py",
    "assistant/followup.py",
    "assistant/synthesize.py",
    "assistant/figures.py",
    "assistant/evidence.py",
    "assistant/render.py",
    "eval/metrics.py",
]
HEAVY = {"chromadb", "gradio", "llama_index", "torch", "sentence_transformers"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_packages_import_only_downwards() -> None:
    for package, allowed in ALLOWED.items():
        for path in (ROOT / package).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            ours = _imports(path) & set(ALLOWED)
            extra = ours - allowed - {package} - ROOT_MODULES.get(rel, set())
            assert not extra, f"{rel} imports {extra}: the layering is ui -> assistant -> index"


def test_pure_core_has_no_io_libraries() -> None:
    for rel in PURE:
        heavy = _imports(ROOT / rel) & HEAVY
        assert not heavy, f"{rel} should stay pure but imports {heavy}"
