"""The `lagesbild` command: set-up, users and the demo, through its real entry point."""

import io

import pytest

from lagesbild import auth, db
from lagesbild.cli import main


def run(capsys, *args, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_then_manage_users(db_url, capsys, monkeypatch):
    u = ["--database-url", db_url]
    code, out, _ = run(
        capsys,
        *u,
        "init",
        "--forum",
        "Trygghetsforum Sävsjö",
        "--municipality",
        "Sävsjö",
        "--org",
        "Sävsjö kommun",
        "--admin",
        "chef",
    )
    assert code == 0 and "Forumet ”Trygghetsforum Sävsjö” är skapat (5 kategorigrupper)" in out
    admin_password = out.split("lösenord: ")[1].split()[0]

    assert run(capsys, *u, "org", "add", "Polisen", "--kind", "polis")[0] == 0
    code, out, _ = run(
        capsys,
        *u,
        "user",
        "add",
        "kommunpolis",
        "--name",
        "Kommunpolis",
        "--org",
        "Polisen",
        "--role",
        "medlem",
        "--password-stdin",
        stdin="ett-hemligt-losenord\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and "Lösenord:" not in out  # read from stdin, never echoed

    code, out, _ = run(capsys, *u, "user", "list")
    assert "kommunpolis" in out and "chef" in out and "aktiv" in out

    engine = db.make_engine(db_url)
    assert auth.verify_login(engine, "chef", admin_password).outcome is auth.LoginOutcome.OK
    assert auth.verify_login(engine, "kommunpolis", "ett-hemligt-losenord").outcome is (
        auth.LoginOutcome.OK
    )

    assert run(capsys, *u, "user", "disable", "kommunpolis")[0] == 0
    assert "avstängd" in run(capsys, *u, "user", "list")[1]
    code, out, _ = run(capsys, *u, "user", "reset-password", "kommunpolis")
    new_password = out.split("Lösenord: ")[1].strip()
    assert run(capsys, *u, "user", "enable", "kommunpolis")[0] == 0
    assert auth.verify_login(engine, "kommunpolis", new_password).outcome is auth.LoginOutcome.OK


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["user", "add", "x", "--name", "X", "--org", "Finns inte", "--role", "medlem"],
            "Organisationen ”Finns inte” finns inte.",
        ),
        (["user", "disable", "ingen"], "Användaren ”ingen” finns inte."),
    ],
)
def test_bad_input_gets_a_swedish_message_and_exit_code(sqlite_url, capsys, args, message):
    code, _, err = run(capsys, "--database-url", sqlite_url, *args)
    assert code == 1 and message in err


def test_unreachable_database(capsys):
    code, _, err = run(
        capsys, "--database-url", "postgresql+psycopg://x:y@127.0.0.1:9/nope", "user", "list"
    )
    assert code == 2 and "Kunde inte ansluta till databasen" in err


def test_demo_prints_its_logins_and_refuses_to_overwrite(sqlite_url, capsys):
    u = ["--database-url", sqlite_url]
    code, out, _ = run(capsys, *u, "demo", "--incidents", "1500", "--now", "2026-11-21T20:00")
    assert code == 0 and "Demoforumet är klart" in out
    assert "samordnare" in out and "lagesbild-demo" in out
    code, _, err = run(capsys, *u, "demo")
    assert code == 1 and "--reset" in err
    code, out, _ = run(capsys, *u, "demo", "--if-empty")
    assert code == 0 and "redan data" in out and "ledning" in out


@pytest.mark.real_data
def test_import_command(demo_sqlite_url, capsys, tmp_path):
    from tests.realdata import POLISEN, UK

    u = ["--database-url", demo_sqlite_url]
    code, out, _ = run(
        capsys, *u, "import", str(POLISEN), "--source", "polisen", "--org", "Polisen", "--dry-run"
    )
    assert code == 0 and "kan importeras" in out
    code, out, _ = run(
        capsys, *u, "import", str(POLISEN), "--source", "polisen", "--org", "Polisen"
    )
    assert code == 0 and "importerades" in out
    code, out, _ = run(
        capsys, *u, "import", str(POLISEN), "--source", "polisen", "--org", "Polisen"
    )
    assert code == 0 and "0 nya händelser" in out and "fanns redan" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(UK.read_text().replace("-2.878518,53.498496", "-2.878518,latitud", 1))
    code, out, _ = run(capsys, *u, "import", str(bad), "--source", "police.uk", "--org", "Polisen")
    assert code == 1 and "Inget importerades" in out and "Rad 2, kolumn ”latitude”" in out
    code, _, err = run(capsys, *u, "import", str(bad), "--source", "okänd", "--org", "Polisen")
    assert code == 1 and "ingen sparad kolumnmappning" in err
