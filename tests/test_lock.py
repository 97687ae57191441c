"""The locked install: requirements.lock pins every package the install resolves, within the
ranges pyproject.toml allows, and the README's install command uses it (docs/development.md)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from .conftest import ROOT

LOCK = ROOT / "requirements.lock"


def locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        requirement = Requirement(line)
        [spec] = requirement.specifier  # exactly one pin per line
        assert spec.operator == "==", line
        name = canonicalize_name(requirement.name)
        assert name not in pins, f"{name} is pinned twice"
        pins[name] = Version(spec.version)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        found += [Requirement(r) for r in extra if not r.startswith("crossbrief")]
    return found


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"{name}=={pins[name]} is outside pyproject's {requirement.specifier}"


def test_the_project_itself_is_not_pinned() -> None:
    assert "crossbrief" not in locked()


def test_readme_install_uses_the_lock() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    install = re.search(r"<!-- install -->\n```\n(.+)\n```", readme)
    assert install is not None
    assert "-c requirements.lock" in install.group(1)


def test_installed_versions_are_the_locked_ones() -> None:
    """What this environment runs is what the lock says (CI installs from it)."""
    pins = locked()
    wrong = []
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in pins and Version(dist.version).public != str(pins[name]):
            wrong.append(f"{name} {dist.version} (locked {pins[name]})")
    assert not wrong, "installed outside the lock: " + ", ".join(sorted(wrong))
