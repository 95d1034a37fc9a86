"""Small modules: no module of the package grows past MAX_LINES, so that each does one job and
a newcomer finds where to change a screen (docs/architecture.md). The Alembic revisions and the
data model are exempt: they are long by nature and read as a list."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "lagesbild"
MAX_LINES = 500
EXEMPT = {Path("models.py")}
EXEMPT_FOLDERS = {"migrations"}


def oversized(package: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """Modules under `package` longer than `limit` lines (path -> lines), exemptions left out."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative in EXEMPT or EXEMPT_FOLDERS & set(relative.parts[:-1]):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found[relative.as_posix()] = lines
    return found


def test_no_module_is_over_the_limit():
    modules = list(PACKAGE.rglob("*.py"))
    assert len(modules) > 50 and (PACKAGE / "ui" / "maps" / "__init__.py") in modules
    too_long = oversized(PACKAGE)
    assert not too_long, (
        f"modules over {MAX_LINES} lines – split them by job and update docs/architecture.md: "
        + ", ".join(f"{name} ({lines})" for name, lines in too_long.items())
    )


def test_the_check_finds_a_long_module_and_spares_the_exempt_ones(tmp_path):
    long_text = "x = 1\n" * (MAX_LINES + 1)
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "long.py").write_text(long_text, encoding="utf-8")
    (tmp_path / "ui" / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    (tmp_path / "models.py").write_text(long_text, encoding="utf-8")
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "migrations" / "versions" / "0001_start.py").write_text(long_text, "utf-8")
    assert oversized(tmp_path) == {"ui/long.py": MAX_LINES + 1}
