"""Specification of the notebooks in ``docs/notebooks/``: committed clean, and they run.

Each notebook is executed top to bottom on a fresh Jupyter kernel (nbclient, in the
test extra); a cell that raises fails the test. Without nbclient, nbformat or
ipykernel installed the tests are skipped; CI installs them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "docs" / "notebooks").glob("*.ipynb"))


def _code_cells(path: Path) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if cell["cell_type"] == "code"]


class TestNotebooksInGit:
    def test_there_is_a_notebook(self) -> None:
        """``docs/notebooks/`` holds at least one notebook."""
        assert [] != NOTEBOOKS

    @pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
    def test_outputs_are_stripped(self, path: Path) -> None:
        """A committed notebook has no outputs and no execution counts."""
        assert [] == [
            i
            for i, cell in enumerate(_code_cells(path))
            if cell["outputs"] or cell["execution_count"] is not None
        ]


class TestNotebooksRun:
    @pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
    def test_every_cell_runs_and_the_charts_draw(
        self, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The notebook runs on a fresh kernel without an error and draws one PNG per chart call."""
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        pytest.importorskip("ipykernel")
        pytest.importorskip("matplotlib")
        monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's own paths, no warning
        monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        notebook = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
        ).execute()
        charts = sum(
            "plotting." in cell.source and "_chart(" in cell.source
            for cell in notebook.cells
            if cell.cell_type == "code"
        )
        images = [
            output
            for cell in notebook.cells
            if cell.cell_type == "code"
            for output in cell.outputs
            if "image/png" in output.get("data", {})
        ]
        assert charts == len(images)
        assert [] == [png for png in images if not png["data"]["image/png"]]
