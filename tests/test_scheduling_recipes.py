"""The scheduler recipes of docs/scheduling.md, run: their YAML parsed and their commands run as
separate processes on the demo province, then merged."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from auditor.report.json_report import load_summary

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "scheduling.md"
# the demo serves its own loopback portals: it stands in for a scan of a registry
DEMO = f"{sys.executable} -m auditor demo"


def _blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def _sh(script: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["sh", "-c", script],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        _, errors = proc.communicate(timeout=600)
        assert proc.returncode == 0, errors


def _agencies(folder: Path) -> dict[str, float | None]:
    return {r.agency.domain: r.score for r in load_summary(folder / "summary.json").agencies}


def test_kubernetes_indexed_job(tmp_path: Path) -> None:
    shards_job, merge_job = yaml.safe_load_all(_blocks()[0])
    spec: dict[str, Any] = shards_job["spec"]
    assert spec["completionMode"] == "Indexed"
    (container,) = spec["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert spec["completions"] == spec["parallelism"] == int(env["SHARDS"])
    assert container["command"] == ["sh", "-c"]

    def local(script: str) -> str:
        script = script.replace("auditor scan --registry /config/registry.yaml", DEMO)
        script = script.replace("--as-of 2026-12-01", "--as-of 2026-11-20")
        return script.replace("auditor merge", f"{sys.executable} -m auditor merge").replace(
            "/data", str(tmp_path)
        )

    script = local(container["args"][0])
    _wait(
        [_sh(script, {**env, "JOB_COMPLETION_INDEX": str(i)}) for i in range(spec["completions"])]
    )
    run = tmp_path / "run-2026-12-01"
    assert sorted(p.name for p in run.iterdir()) == ["shard-0", "shard-1", "shard-2"]
    # a pod restarted into its folder (restartPolicy: OnFailure) fetches nothing again
    again = _sh(script, {**env, "JOB_COMPLETION_INDEX": "0"})
    _wait([again])

    (merger,) = merge_job["spec"]["template"]["spec"]["containers"]
    _wait([_sh(local(merger["args"][0]), {})])
    merged = _agencies(run / "all")
    assert len(merged) == 10 and all(score is not None for score in merged.values())


def test_github_actions_matrix(tmp_path: Path) -> None:
    workflow = yaml.safe_load(_blocks()[1])
    shard_job, merge_job = workflow["jobs"]["shard"], workflow["jobs"]["merge"]
    matrix = shard_job["strategy"]["matrix"]["shard"]
    assert shard_job["strategy"]["fail-fast"] is False
    (audit,) = [s for s in shard_job["steps"] if s.get("name") == "Audit one slice"]
    (upload,) = [s for s in shard_job["steps"] if "upload-artifact" in s.get("uses", "")]
    (merge,) = [s for s in merge_job["steps"] if s.get("name") == "Merge the slices"]
    assert merge_job["needs"] == "shard"

    def expand(text: str, shard: int | None = None) -> str:
        text = text.replace("${{ inputs.as_of }}", "2026-11-20")
        text = text.replace("${{ strategy.job-total }}", str(len(matrix)))
        if shard is not None:
            text = text.replace("${{ matrix.shard }}", str(shard))
        text = text.replace("auditor scan --registry registry.yaml", DEMO)
        return text.replace("auditor merge", f"{sys.executable} -m auditor merge")

    procs = []
    for shard in matrix:
        procs.append(_sh(f"cd {tmp_path} && " + expand(audit["run"], shard), {}))
    _wait(procs)
    # download-artifact with a pattern puts each artifact in a folder named after it
    for shard in matrix:
        name = expand(upload["with"]["name"], shard)
        shutil.copytree(
            tmp_path / expand(upload["with"]["path"], shard), tmp_path / "shards" / name
        )
    _wait([_sh(f"cd {tmp_path} && " + expand(merge["run"]), {})])
    merged = _agencies(tmp_path / "report")
    assert len(merged) == 10 and all(score is not None for score in merged.values())
