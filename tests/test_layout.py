"""The package's layout is its architecture: imports flow one way, and nothing imports in a circle.

    app, commands  →  training  →  evaluation  →  data  →  reading  →  drawing  →  nn  →  errors, atomic, file_reading, user_dirs

Every ``import`` in ``digitpad/`` (module level or inside a function: a lazy import is still a
dependency) is read with ``ast``; a module may import its own part and the parts to its right.  The
package's face, ``digitpad/__init__.py``, hands out the reading seam (``Drawing``, ``Reader``, ``Answer``)
and ``drawing_to_input`` from their parts lazily (its ``__getattr__``; its imports are written under
``TYPE_CHECKING``, where this test reads them): it still takes part in the cycle check, and importing
one part -- the engine -- loads none above it.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "digitpad"

# The parts, from the bottom up: each may import itself and the parts before it.
PARTS = ["foundation", "nn", "drawing", "reading", "data", "evaluation", "training", "app", "commands", "cli"]
FOUNDATION = {"digitpad", "digitpad.errors", "digitpad.atomic", "digitpad.file_reading", "digitpad.user_dirs",
              "digitpad.models", "digitpad.version"}
ENTRY_POINTS = {"digitpad.cli", "digitpad.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str:
    if module in FOUNDATION:
        return "foundation"
    if module in ENTRY_POINTS:
        return "cli"
    part = module.split(".")[1]
    assert part in PARTS, f"{module} belongs to no part of the layout: add it to a subpackage"
    return part


def package_modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The digitpad modules ``path`` imports (``from digitpad.x import y`` counts ``digitpad.x.y``
    when that is a module, else ``digitpad.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                     for alias in node.names]
        else:
            continue
        for name in names:
            while name not in modules and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in modules:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = package_modules()
    return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def violations(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, imported in sorted(graph.items()):
        if module == "digitpad":
            continue   # the face re-exports (see the module docstring)
        rank = PARTS.index(part_of(module))
        for other in sorted(imported):
            if PARTS.index(part_of(other)) > rank:
                wrong.append(f"{module} ({part_of(module)}) imports {other} ({part_of(other)})")
    return wrong


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for other in sorted(graph[module]):
            if state.get(other) == "open":
                return stack[stack.index(other):] + [other]
            if other not in state and (cycle := visit(other)):
                return cycle
        state[module] = "done"
        stack.pop()
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def test_every_module_is_in_a_part_and_imports_flow_one_way():
    wrong = violations(import_graph())
    assert not wrong, "imports against the layout:\n" + "\n".join(wrong)


def test_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def reachable(graph: dict[str, set[str]], module: str) -> set[str]:
    """Every module ``module`` imports, directly or through others."""
    seen, todo = set(), [module]
    while todo:
        for other in graph[todo.pop()] - seen:
            seen.add(other)
            todo.append(other)
    return seen


def test_what_to_train_on_never_depends_on_how_training_runs():
    """Within training: the config and the training set are filled without the trainer (which reads
    them), directly or through another module."""
    graph = import_graph()
    for module in ("digitpad.training.config", "digitpad.training.training_set"):
        assert "digitpad.training.trainer" not in reachable(graph, module), module
    graph["digitpad.training.training_set"].add("digitpad.training.run")   # the check sees an indirect import
    assert "digitpad.training.trainer" in reachable(graph, "digitpad.training.training_set")


def test_the_face_loads_no_part_until_asked():
    """``from digitpad import nn`` runs the face: the engine must come alone (NumPy), without the drawing,
    reading or app parts above it, until a name of the seam is asked for."""
    code = ("import sys; from digitpad import nn; parts = lambda: sorted({m.split('.')[1] for m in sys.modules "
            "if m.startswith('digitpad.')} | ({'scipy'} & set(sys.modules))); print(parts()); "
            "from digitpad import Reader; print(parts())")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    alone, asked = done.stdout.splitlines()
    assert not {"'drawing'", "'reading'", "'app'", "'scipy'"} & set(alone.strip("[]").split(", ")), alone
    assert {"'drawing'", "'reading'"} <= set(asked.strip("[]").split(", ")), asked


def test_the_checks_see_a_wrong_import_and_a_cycle(tmp_path):
    """The layout tests themselves: a lazy import from data into training, and a cycle, are found."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from digitpad.training.trainer import Trainer\n    from digitpad import nn\n")
    assert imports_of(bad, package_modules()) == {"digitpad.training.trainer", "digitpad.nn"}
    graph = import_graph()
    graph["digitpad.data.mnist"].add("digitpad.training.trainer")
    assert violations(graph) == ["digitpad.data.mnist (data) imports digitpad.training.trainer (training)"]
    graph = import_graph()
    graph["digitpad.nn.io.checks"].add("digitpad.nn.io.model_file")
    assert find_cycle(graph) == ["digitpad.nn.io.checks", "digitpad.nn.io.model_file", "digitpad.nn.io.checks"]


def test_a_source_checkout_runs_without_being_installed():
    """``python -m digitpad`` in a checkout finds the shipped models in ``models/`` (no install: Python
    starts without site-packages' import hooks, the dependencies on the path)."""
    import numpy

    site = str(Path(numpy.__file__).resolve().parents[1])
    env = os.environ | {"PYTHONPATH": site}
    done = subprocess.run([sys.executable, "-S", "-m", "digitpad", "models"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{ROOT / 'models' / 'cnn.npz'}" in done.stdout and "mlp" in done.stdout


def test_paths_into_the_checkout_survive_the_layout():
    """Modules that find the checkout from their own file (the project's data/ folder) look in the right place."""
    from digitpad.data import mnist

    assert mnist.project_data_dir() == ROOT / "data"


def test_every_package_of_the_tree_is_installed():
    """`pip install .` installs only the packages pyproject.toml lists: a new subpackage missing there
    works in a checkout and an editable install, and is absent from a user's install."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    tree = {module_name(path) for path in PACKAGE.rglob("__init__.py")}
    assert tree | {"digitpad.models"} == listed
