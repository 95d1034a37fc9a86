"""The `lagesbild` command: set-up, users and the demo, through its real entry point."""

import io

import pytest

from lagesbild import auth, db
from lagesbild.cli import main
from lagesbild.demo import DEMO_PASSWORD
from lagesbild.reference import MUNICIPALITY_KEY, set_setting


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
    assert "samordnare" in out and DEMO_PASSWORD in out
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


def _forum(capsys, db_url, municipality="Vellinge") -> list[str]:
    u = ["--database-url", db_url]
    code, _, _ = run(
        capsys, *u, "init", "--forum", "F", "--municipality", municipality, "--org", "Kommunen"
    )
    assert code == 0 and run(capsys, *u, "org", "add", "Polisen", "--kind", "polis")[0] == 0
    return u


def _police_event(id_, municipality, summary="Brand i byggnad"):
    return {
        "id": id_,
        "datetime": "2026-11-20 22:10:00 +01:00",
        "name": f"20 november 21:55, Brand, {municipality}",
        "summary": summary,
        "type": "Brand",
        "location": {"name": "Skåne län", "gps": "55.99,13.59"},
    }


def test_an_import_that_stores_nothing_exits_non_zero(db_url, capsys, tmp_path):
    import json

    u = _forum(capsys, db_url)
    with db.transaction(db.make_engine(db_url)) as session:  # as stored before names were checked
        set_setting(session, MUNICIPALITY_KEY, "Malmö stad")
    events = tmp_path / "events.json"
    events.write_text(json.dumps([_police_event(i, "Malmö") for i in range(3)]))
    code, out, err = run(
        capsys, *u, "import", str(events), "--source", "polisen", "--org", "Polisen"
    )
    assert code == 1
    assert "0 av 3 händelser gällde ”Malmö stad”; menade du Malmö?" in out
    assert err.startswith("Fel: 0 av 3 händelser")


def test_import_of_gzip_with_masked_police_texts(db_url, capsys, tmp_path):
    import gzip
    import json

    u = _forum(capsys, db_url)
    events = [
        _police_event(1, "Vellinge", "Vittne nås på 070-123 45 67."),
        _police_event(2, "Vellinge"),
    ]
    path = tmp_path / "events.json.gz"
    path.write_bytes(gzip.compress(json.dumps(events).encode()))
    code, out, _ = run(capsys, *u, "import", str(path), "--source", "polisen", "--org", "Polisen")
    assert code == 0 and "2 nya händelser importerades" in out
    assert "maskerade personuppgifter på rad/post 1: telefonnummer" in out


def test_import_skip_invalid_writes_the_rejected_rows(db_url, capsys, tmp_path):
    u = _forum(capsys, db_url)
    content = (
        "Crime ID,Month,Longitude,Latitude,Crime type\n"
        "a1,2019-05,-2.87,53.49,Shoplifting\n"
        "a2,2019-05,-2.87,latitud,Shoplifting\n"
        "a3,maj,-2.87,53.49,Shoplifting\n"
    )
    path = tmp_path / "uk.csv"
    path.write_text(content)
    args = [*u, "import", str(path), "--source", "police.uk", "--org", "Polisen"]
    code, out, _ = run(capsys, *args)
    assert (
        code == 1 and "Inget importerades: 2 fel" in out and not (tmp_path / "uk-fel.csv").exists()
    )
    code, out, _ = run(capsys, *args, "--skip-invalid")
    assert code == 0 and "1 nya händelser importerades" in out
    rejected = tmp_path / "uk-fel.csv"
    assert f"De 2 raderna med fel är sparade i {rejected}" in out
    lines = rejected.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Crime ID,Month,Longitude,Latitude,Crime type,fel"
    assert [line.split(",")[0] for line in lines[1:]] == ["a2", "a3"]
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(
        rejected.read_text(encoding="utf-8-sig")
        .replace("latitud", "53.5")
        .replace(",maj,", ",2019-05,")
    )
    code, out, _ = run(
        capsys, *u, "import", str(fixed), "--source", "police.uk", "--org", "Polisen"
    )
    assert code == 0 and "2 nya händelser importerades" in out
    code, out, _ = run(capsys, *args, "--skip-invalid", "--rejected", str(tmp_path / "igen.csv"))
    assert code == 0 and "0 nya händelser" in out and "1 fanns redan" in out


def test_the_command_speaks_swedish_in_its_help_and_its_errors(capsys):
    """argparse's own usage line, headings and errors are translated, for every sub-command."""
    english = ("usage:", "positional arguments", "options:", "show this help", "error:", "required")
    for args in (
        ["--help"],
        ["user", "--help"],
        ["polisen", "sync", "--help"],
        ["import", "--help"],
    ):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("användning: lagesbild") and "flaggor:" in out
        assert not [word for word in english if word in out], out
    with pytest.raises(SystemExit) as done:
        main(["import", "fil.csv"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "lagesbild import: fel: de här argumenten behövs: --source, --org" in err
    assert not [word for word in english if word in err], err
