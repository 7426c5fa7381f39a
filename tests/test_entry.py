"""The ``auditor`` command's entry point: worker processes do not load the command line."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from auditor import __version__

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("auditor.cli", "typer", "rich", "httpx", "auditor.report")


def _command_script(folder: Path) -> Path:
    """The ``auditor`` script as pip writes it for the entry point pyproject.toml declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, function = project["project"]["scripts"]["auditor"].split(":")
    script = folder / "auditor"
    script.write_text(
        "import re\nimport sys\n"
        f"from {module} import {function}\n"
        "if __name__ == '__main__':\n"
        f"    sys.exit({function}())\n",
        encoding="utf-8",
    )
    return script


def test_a_spawned_worker_running_the_command_script_loads_no_cli(tmp_path: Path) -> None:
    # multiprocessing's spawn starts each worker by running the parent's main script again as
    # __mp_main__ (the guarded call does not run): what it imports, every worker holds
    script = _command_script(tmp_path)
    probe = (
        "import runpy, sys\n"
        f"runpy.run_path({str(script)!r}, run_name='__mp_main__')\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_the_command_script_runs_the_cli(tmp_path: Path) -> None:
    script = _command_script(tmp_path)
    done = subprocess.run(
        [sys.executable, str(script), "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"auditor {__version__}"
