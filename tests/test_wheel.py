"""The built wheel, installed in a fresh venv and run from another folder, carries its data.

Built offline with what pyproject declares (``pip wheel --no-build-isolation`` with the
setuptools and wheel of this environment); the venv sees this environment's packages for the
dependencies (``--system-site-packages``) but its own ``auditor`` comes from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKS = ("lamdong-2025", "national", "quangninh-2023", "soctrang-2019", "tuyenquang-2026")

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args} → {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A venv with the wheel installed, and an environment without this checkout on the path."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git", "tests", "bench", "build", "*.egg-info", "__pycache__", ".*_cache", ".venv"
        ),
    )
    dist = base / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(dist),
            str(src),
        ],
        base,
    )
    wheel = next(dist.glob("auditor-*.whl"))
    env_dir = base / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # system_site_packages shows the base interpreter's packages; when this environment is
    # itself a venv, its packages (the dependencies) are put after the new venv's own: a path
    # line in a .pth, so this checkout's editable install (a .pth there) is not read
    purelib = _run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib.strip(), "_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--force-reinstall",
            str(wheel),
        ],
        base,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "AUDITOR_HOME")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env_dir, env


def test_the_wheel_is_installed_from_itself(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    env_dir, env = installed
    where = _run(
        [str(env_dir / "bin" / "python"), "-c", "import auditor; print(auditor.__file__)"],
        tmp_path,
        env,
    )
    assert str(env_dir) in where, where


def test_rules_list_shows_every_pack(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    env_dir, env = installed
    text = _run([str(env_dir / "bin" / "auditor"), "rules", "list"], tmp_path, env)
    listed = {
        line.split(":")[0].split(" ")[0]
        for line in text.splitlines()
        if ":" in line and not line.startswith(" ")
    }
    assert set(PACKS) <= listed, text
    _run([str(env_dir / "bin" / "auditor"), "rules", "validate"], tmp_path, env)


def test_demo_runs_from_another_folder(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    env_dir, env = installed
    _run([str(env_dir / "bin" / "auditor"), "demo", "-q", "--out", "out"], tmp_path, env)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    rows = summary["agencies"]
    assert len(rows) >= 5
    assert all(row["score"] is not None for row in rows), rows
    assert (tmp_path / "out" / "index.html").is_file()
