"""Which bedcap the gate's CI installs: one pinned pip requirement (`bedcap init --pakket`).

A security gate that installs "the newest package of that name" runs whatever someone
publishes under it next (or first, while the name is unregistered). So the CI templates
get exactly one pinned requirement: a version on an index (`bedcap==0.1.0`), a VCS URL at
a tag (`git+https://…/bedcap.git@v0.1.0`, optionally as `bedcap @ …`), or a wheel (a
path in the repository or a URL). The default is the exact version that ran `init`.
"""

from __future__ import annotations

import re

from bedcap.errors import UsageError

NAAM = "bedcap"

# Characters that would need quoting in YAML or a shell; a pip requirement never needs them.
_ONVEILIG = re.compile(r"[\s\"'`$\\;|&(){}]")
_VCS = re.compile(r"^(git|hg|svn|bzr)\+[a-z]+://[^@\s]+(/[^@\s]*)?@[^@/\s]+(#.*)?$")


def standaard(versie: str) -> str:
    """The requirement of the bedcap that runs `init`: exactly its own version."""
    return f"{NAAM}=={versie}"


def _is_wheel(spec: str) -> bool:
    return spec.split("#")[0].endswith(".whl")


def _is_vcs(spec: str) -> bool:
    return bool(_VCS.match(spec))


def _is_exact(spec: str) -> bool:
    """`name==X.Y.Z` (no wildcard) or `name===X`: one version, nothing newer."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(spec)
    except InvalidRequirement:
        return False
    if req.url:
        return _is_wheel(req.url) or _is_vcs(req.url)
    specifiers = list(req.specifier)
    return (
        len(specifiers) == 1
        and specifiers[0].operator in ("==", "===")
        and "*" not in specifiers[0].version
    )


def controleer(spec: str) -> str:
    """The requirement as given when it pins one build of bedcap; `UsageError` otherwise."""
    spec = spec.strip()
    if not spec or _ONVEILIG.search(spec.replace(" @ ", "@", 1)):
        raise UsageError(
            f"--pakket {spec!r} is geen enkele pip-vereiste: geen spaties, aanhalingstekens "
            "of shell-tekens; verwacht bijvoorbeeld bedcap==0.1.0"
        )
    if _is_wheel(spec) or _is_vcs(spec) or _is_exact(spec):
        return spec
    raise UsageError(
        f"--pakket {spec!r} zet de versie niet vast; verwacht een exacte versie "
        "(bedcap==0.1.0), een VCS-URL met tag (git+https://…/bedcap.git@v0.1.0) of een wheel "
        "(pad of URL eindigend op .whl)"
    )
