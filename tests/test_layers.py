"""Code layout: the rooms of parmine import downwards only —
text ← corpus ← extract ← audit, models ← pipelines (← the package's own
``__init__``, which exposes the verbs)."""
import ast
import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RANK = {"text": 0, "corpus": 1, "extract": 2, "audit": 3, "models": 3, "pipelines": 4}


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "parmine" else None


def _imports(path: Path, module: str):
    """The parmine modules ``path`` imports, at any depth of its code."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            yield from (n for n in names if n.startswith("parmine"))
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("parmine"))


def test_no_room_imports_a_room_above_it():
    wrong = []
    for path in sorted((ROOT / "parmine").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        room = _room(module)
        if room is None:  # parmine/__init__.py: the top
            continue
        for target in _imports(path, module):
            other = _room(target)
            if other in RANK and room in RANK and (RANK[other] > RANK[room] or (other != room and RANK[other] == RANK[room])):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_rooms_are_what_the_layering_names():
    rooms = {p.name for p in (ROOT / "parmine").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert rooms == set(RANK)


def test_no_function_of_the_extractors_runs_over_sixty_lines():
    long = []
    for path in sorted((ROOT / "parmine" / "extract").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long.append(f"{path.name}:{node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert long == []


HEAVY = ("spacy", "pandas", "pdfplumber", "pypdfium2", "underthesea", "sklearn")


def test_a_runs_main_process_imports_no_nlp_reader_or_pandas():
    # the main process of a run holds the store and the queue for hours: spaCy, the readers and pandas are the
    # workers' (process_document), imported by them only
    code = ("import json, sys, parmine.pipelines.run, parmine.pipelines.cli; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
