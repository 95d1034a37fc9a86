"""The documentation keeps up with the product: every setting and every `lagesbild` command is
documented, and every relative link in the READMEs and docs/ leads to a file that exists."""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import re
from pathlib import Path

import pytest

from lagesbild import cli, config
from tests.conftest import ROOT

DOCS = ROOT / "docs"
DOC_FILES = sorted([ROOT / "README.md", ROOT / "benchmarks" / "README.md", *DOCS.rglob("*.md")])
# Product code: everything but the tests, the benchmarks and hidden or generated folders.
NOT_PRODUCT = {"tests", "benchmarks", "build", "dist", "data", "test-artifacts"}
PREFIX = "LAGESBILD_"
SETTING_NAME = re.compile(r"\bLAGESBILD_[A-Z0-9_]*[A-Z0-9]\b")


def product_files() -> list[Path]:
    """The product's Python files, without walking into .venv and the like."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        top = Path(folder) == ROOT
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (top and d in NOT_PRODUCT)]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return sorted(found)


def docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in DOC_FILES)


class _RecordingEnv(dict):
    """An environment that notes every name the settings module asks for."""

    def __init__(self, values: dict[str, str]):
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


def settings_read(tmp_path: Path) -> set[str]:
    """The names `config.load_settings` reads, with every optional part switched on, so that
    settings read only when another is set (the SMTP ones) are asked for too."""
    env = _RecordingEnv(
        {"LAGESBILD_SMTP_HOST": "smtp.kommun.se", "LAGESBILD_SMTP_SENDER": "lagesbild@kommun.se"}
    )
    settings = config.load_settings(env=env, secrets_path=tmp_path / "none.toml")
    assert settings.smtp is not None, "the SMTP settings were not all read"
    return {name for name in env.asked if name.startswith(PREFIX)}


def names_in_code() -> dict[str, str]:
    """Every LAGESBILD_* name in a string of the product's code -> where it was seen first."""
    found: dict[str, str] = {}
    for path in product_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for name in SETTING_NAME.findall(node.value):
                    found.setdefault(name, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_setting_is_documented(tmp_path):
    read = settings_read(tmp_path)
    in_code = names_in_code()
    # The collection itself must work, or the test below would pass on nothing.
    assert {"LAGESBILD_DATABASE_URL", "LAGESBILD_SMTP_TIMEOUT", "LAGESBILD_NOW"} <= (
        read | set(in_code)
    )
    text = docs_text()
    missing = sorted(
        f"{name} ({in_code.get(name, 'lagesbild.config')})"
        for name in read | set(in_code)
        if not re.search(rf"\b{name}\b", text)
    )
    assert not missing, "settings not documented in README.md or docs/: " + ", ".join(missing)


def test_every_secrets_key_is_documented(tmp_path):
    """A setting read by the settings module may also be given as a key under [lagesbild] in
    .streamlit/secrets.toml; the key must be named in the docs as `key`."""
    keys = sorted(name.removeprefix(PREFIX).lower() for name in settings_read(tmp_path))
    assert "database_url" in keys
    text = docs_text()
    missing = [key for key in keys if f"`{key}`" not in text]
    assert not missing, "secrets.toml keys not documented: " + ", ".join(missing)


def _commands(
    parser: argparse.ArgumentParser, prefix: str
) -> list[tuple[str, argparse.ArgumentParser]]:
    """Every leaf command under a parser as ('lagesbild user add', its parser)."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        return [(prefix, parser)]
    found = []
    for action in subparsers:
        for name, sub in action.choices.items():
            found += _commands(sub, f"{prefix} {name}")
    return found


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [
        option
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
        for option in action.option_strings
        if option.startswith("--")
    ]


COMMANDS = _commands(cli.build_parser(), "lagesbild")


def _lines_naming(command: str, text: str) -> list[str]:
    pattern = re.compile(re.escape(command) + r"(?![\w-])")
    return [line for line in text.splitlines() if pattern.search(line)]


def test_the_commands_are_found():
    names = [name for name, _ in COMMANDS]
    assert {"lagesbild demo", "lagesbild user add", "lagesbild polisen sync"} <= set(names)


@pytest.mark.parametrize("command,parser", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_and_option_is_documented(command, parser):
    """Each command is named in the docs, and each of its options on a line naming it."""
    lines = _lines_naming(command, docs_text())
    assert lines, f"`{command}` is not documented in README.md or docs/"
    missing = [option for option in _options(parser) if not any(option in line for line in lines)]
    assert not missing, f"options of `{command}` not documented beside it: {', '.join(missing)}"


def test_the_global_options_are_documented():
    options = _options(cli.build_parser())
    assert "--database-url" in options
    lines = _lines_naming("lagesbild", docs_text())
    missing = [option for option in options if not any(option in line for line in lines)]
    assert not missing, f"options of `lagesbild` not documented: {', '.join(missing)}"


FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)


def relative_links(markdown: str) -> list[str]:
    """Relative link and image targets outside code, without their #anchor."""
    prose = CODE_SPAN.sub("", FENCE.sub("", markdown))
    targets = LINK.findall(prose) + REFERENCE.findall(prose)
    return [
        target.split("#", 1)[0]
        for target in targets
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) and not target.startswith("#")
    ]


def test_the_link_reader_finds_links():
    text = (
        "See [a](docs/a.md#x), ![b](images/b.png) and [c](https://example.org), [d](#top).\n"
        "`[e](not/a/link.md)`\n```\n[f](nor/this.md)\n```\n[g]: ref/g.md\n"
    )
    assert relative_links(text) == ["docs/a.md", "images/b.png", "ref/g.md"]


@pytest.mark.parametrize("doc", DOC_FILES, ids=[str(p.relative_to(ROOT)) for p in DOC_FILES])
def test_every_relative_link_leads_to_a_file(doc):
    broken = [
        target
        for target in relative_links(doc.read_text(encoding="utf-8"))
        if not (doc.parent / target).exists()
    ]
    assert not broken, f"{doc.relative_to(ROOT)} links to missing files: {', '.join(broken)}"


ARCHITECTURE = DOCS / "architecture.md"
PACKAGE = ROOT / "src" / "lagesbild"
TOP_LEVEL = {p.stem for p in PACKAGE.glob("*.py")} | {
    p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()
}
DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def resolve(name: str) -> object:
    """`queries.overview`, `models.ActionStatus.DONE` … relative to the package lagesbild."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module("lagesbild." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            found = getattr(found, attr)
        return found
    raise ModuleNotFoundError(name)


def code_names(markdown: str) -> tuple[list[str], list[str]]:
    """Code spans in prose naming the package's modules and objects, and files of the project."""
    prose = FENCE.sub("", markdown)
    names, paths = [], []
    for span in re.findall(r"`([^`\n]+)`", prose):
        if span.endswith(".py") and " " not in span:
            paths.append(span)
        elif DOTTED.match(span) and span.split(".")[0] in TOP_LEVEL:
            names.append(span)
    return names, paths


def test_every_code_name_in_the_architecture_exists():
    """The "where do I change X" table and the glossary name real modules and objects."""
    names, paths = code_names(ARCHITECTURE.read_text(encoding="utf-8"))
    assert "models.Incident" in names and "app.py" in paths
    missing = []
    for name in names:
        try:
            resolve(name)
        except (ImportError, AttributeError):
            missing.append(name)
    missing += [path for path in paths if not (ROOT / path).is_file()]
    assert not missing, "docs/architecture.md names what does not exist: " + ", ".join(missing)


def test_the_architecture_covers_every_screen():
    """Each page the navigation registers has its file in the "where do I change X" table."""
    from lagesbild.ui import navigation

    _, paths = code_names(ARCHITECTURE.read_text(encoding="utf-8"))
    missing = [spec.path for spec in navigation.PAGES if spec.path not in paths]
    assert navigation.PAGES and not missing, "screens missing from docs/architecture.md: " + (
        ", ".join(missing)
    )


def test_every_screens_script_is_named_as_its_address():
    """A fresh server's first request is resolved against the files in pages/ (see
    docs/architecture.md, Navigation): a script named otherwise got Streamlit's "page not
    found" and the start page."""
    from lagesbild.ui import navigation

    named_otherwise = [
        f"{spec.path} (/{spec.url_path})"
        for spec in navigation.PAGES
        if Path(spec.path).stem != spec.url_path or not (ROOT / spec.path).is_file()
    ]
    assert not named_otherwise
