"""The wheel ships every package of the source tree: pyproject lists the packages by name, so a
new or split module folder must be added there (an installed app would fail to import it)."""

import tomllib

from tests.conftest import ROOT


def test_every_package_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    source = ROOT / "src"
    found = {
        ".".join(init.parent.relative_to(source).parts)
        for init in source.glob("lagesbild/**/__init__.py")
    }
    assert found, "no packages found under src/"
    assert found - listed == set(), "missing in pyproject.toml's package list"
