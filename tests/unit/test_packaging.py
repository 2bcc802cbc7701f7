"""The wheel lists every package of the engine (pyproject.toml names them one by one, because
site_templates/ is mapped into the package from the top of the repository)."""

from __future__ import annotations

import tomllib

from sitebuild import ROOT


def test_every_generator_package_is_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "generator").rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)
    assert config["tool"]["setuptools"]["package-dir"]["generator.site_templates"] == "site_templates"
