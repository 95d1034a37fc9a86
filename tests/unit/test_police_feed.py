"""The police feed runs by itself: `lagesbild polisen sync` and the service behind it, against a
local server answering with recorded responses of the police's events API and scripted
failures. Timeouts, HTTP 5xx, malformed JSON and empty answers are logged and retried; nothing
is lost and nothing is stored twice; every run is recorded."""

import datetime as dt
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from sqlalchemy import event, func, insert, select

from lagesbild import db
from lagesbild.cli import main
from lagesbild.importers import polisen
from lagesbild.importers.polisen_api import Policy, events_url
from lagesbild.models import Category, FeedRun, Incident, Organisation
from lagesbild.reference import MUNICIPALITY_KEY, seed_default_categories, set_setting
from lagesbild.services import feed
from tests.conftest import ROOT
from tests.unit.police_api import PoliceApi, Reply, events, recorded

FIRST = recorded("vellinge_skane.json")
LATER = recorded("vellinge_skane_later.json")
QUICK = Policy(timeout=0.5, attempts=3, backoff=0.01)


@pytest.fixture
def forum(engine):
    """An empty Vellinge forum with default categories and the police as an organisation."""
    with db.transaction(engine) as s:
        seed_default_categories(s)
        set_setting(s, MUNICIPALITY_KEY, "Vellinge")
        s.add(Organisation(name="Polisen", short_name="Polisen", kind="polis"))
    return engine


def expected_ids(content: bytes) -> set[str]:
    """The events the forum keeps, counted without the product: Vellinge's own, no summaries,
    of a type the forum translates."""
    return {
        str(e["id"])
        for e in events(content)
        if e["name"].rsplit(",", 1)[-1].strip() == "Vellinge"
        and not e["name"].startswith("Sammanfattning")
        and e["type"] in polisen.TYPE_TO_CATEGORY
    }


def stored_ids(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(Incident.source_id).where(Incident.source == "polisen")))


def runs(engine) -> list[FeedRun]:
    with db.transaction(engine) as s:
        rows = s.scalars(select(FeedRun).order_by(FeedRun.id)).all()
        s.expunge_all()
        return rows


def sync(engine, api, **kwargs) -> feed.SyncResult:
    pauses = kwargs.pop("pauses", [])
    return feed.sync_police(engine, base_url=api.url, policy=QUICK, sleep=pauses.append, **kwargs)


def test_a_run_imports_the_forums_events_and_is_recorded(forum):
    with PoliceApi(Reply(FIRST)) as api:
        result = sync(forum, api)
    expected = expected_ids(FIRST)
    assert result.ok, result.message
    assert api.query()["locationname"] == ["Vellinge;Skåne län"]
    assert sorted(stored_ids(forum)) == sorted(expected) and len(expected) > 40
    assert (result.added, result.already, result.fetched) == (len(expected), 0, 148)
    assert result.skipped == 148 - len(expected)
    with forum.connect() as conn:
        org = conn.scalar(select(Organisation.id).where(Organisation.name == "Polisen"))
        assert set(conn.scalars(select(Incident.reporting_org_id))) == {org}
        assert set(conn.scalars(select(Incident.precision))) == {"ungefar"}
    [run] = runs(forum)
    assert run.ok and run.feed == "polisen" and run.url.startswith(api.url)
    assert (run.attempts, run.fetched, run.added, run.already, run.skipped) == (
        1,
        148,
        len(expected),
        0,
        148 - len(expected),
    )
    assert f"{len(expected)} nya händelser importerades" in run.message
    assert run.started_at <= run.finished_at


def test_the_same_events_twice_are_stored_once(forum):
    with PoliceApi(Reply(FIRST), Reply(LATER), Reply(LATER)) as api:
        first, later, again = sync(forum, api), sync(forum, api), sync(forum, api)
    before, after = expected_ids(FIRST), expected_ids(LATER)
    assert after - before and after & before  # the later answer overlaps the first
    assert (later.added, later.already) == (len(after - before), len(after & before))
    assert (again.added, again.already) == (0, len(after))
    ids = stored_ids(forum)
    assert len(ids) == len(set(ids)) and set(ids) == before | after
    assert first.ok and later.ok and again.ok and len(runs(forum)) == 3


def test_an_event_repeated_within_one_answer_is_stored_once(forum):
    repeated = events(LATER)
    answer = repeated + repeated[:5]
    with PoliceApi(Reply(json.dumps(answer).encode())) as api:
        result = sync(forum, api)
    assert result.ok, result.message
    assert sorted(stored_ids(forum)) == sorted(expected_ids(LATER))
    assert result.fetched == len(answer) and "5 stod flera gånger i svaret" in result.message


# A failed answer of the API, and what the log says about it.
FAILURES = pytest.mark.parametrize(
    ("failure", "logged"),
    [
        (Reply(FIRST, delay=1.0), "inget svar inom 0.5 s"),
        (Reply(b'{"error": "internal"}', status=500), "HTTP 500"),
        (Reply(b"", status=503), "HTTP 503"),
        (Reply(FIRST[: len(FIRST) // 2]), "inte giltig JSON"),
        (Reply(b""), "tomt svar"),
        (Reply(b"  \n"), "tomt svar"),
        (Reply(b'{"message": "busy"}'), "ingen lista med händelser"),
    ],
    ids=["timeout", "http-500", "http-503", "malformed-json", "empty", "blank", "not-a-list"],
)


@FAILURES
def test_a_failure_is_logged_and_retried(forum, caplog, failure, logged):
    caplog.set_level(logging.INFO, logger="lagesbild.polisen")
    pauses = []
    with PoliceApi(failure, Reply(FIRST)) as api:
        result = sync(forum, api, pauses=pauses)
    assert result.ok and result.attempts == 2, result.message
    assert len(api.requests) == 2 and pauses == [0.01]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and logged in warnings[0] and "Försök 1 av 3" in warnings[0]
    assert sorted(stored_ids(forum)) == sorted(expected_ids(FIRST))
    [run] = runs(forum)
    assert run.ok and run.attempts == 2


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (Reply(b"", status=500), "HTTP 500"),
        (Reply(b""), "tomt svar"),
        (Reply(b"[{"), "inte giltig JSON"),
        (Reply(FIRST, delay=1.0), "inget svar inom 0.5 s"),
    ],
    ids=["http-500", "empty", "malformed-json", "timeout"],
)
def test_when_every_try_fails_the_run_is_recorded_as_failed_and_nothing_is_lost(
    forum, caplog, failure, reason
):
    with PoliceApi(Reply(FIRST)) as api:
        assert sync(forum, api).ok
        before = sorted(stored_ids(forum))
        api.then(failure)
        pauses = []
        failed = sync(forum, api, pauses=pauses)
        assert not failed.ok and failed.attempts == 3 and len(api.requests) == 1 + 3
        assert pauses == [0.01, 0.02]  # the pause doubles
        assert "gick inte att hämta efter 3 försök" in failed.message and reason in failed.message
        assert sorted(stored_ids(forum)) == before
        api.then(Reply(LATER))
        assert sync(forum, api).ok
    assert set(stored_ids(forum)) == expected_ids(FIRST) | expected_ids(LATER)
    assert [r.ok for r in runs(forum)] == [True, False, True]
    failed_run = runs(forum)[1]
    assert failed_run.attempts == 3 and failed_run.added == 0 and reason in failed_run.message
    assert any(r.levelno == logging.ERROR and reason in r.getMessage() for r in caplog.records)


def test_a_refusal_is_not_retried(forum):
    with PoliceApi(Reply(b"Not found", status=404)) as api:
        result = sync(forum, api)
    assert not result.ok and result.attempts == 1 and len(api.requests) == 1
    assert "HTTP 404" in result.message and stored_ids(forum) == []
    assert not runs(forum)[0].ok


def test_a_missing_organisation_is_a_clear_error_and_nothing_is_created(forum):
    with PoliceApi(Reply(FIRST)) as api:
        result = sync(forum, api, organisation="Kommunpolisen")
    assert not result.ok and api.requests == []
    assert "Organisationen ”Kommunpolisen” finns inte" in result.message
    with forum.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Organisation)) == 1
    assert stored_ids(forum) == [] and not runs(forum)[0].ok


def test_a_forum_without_municipality_fetches_nothing(engine):
    with db.transaction(engine) as s:
        s.add(Organisation(name="Polisen", short_name="Polisen", kind="polis"))
    with PoliceApi(Reply(FIRST)) as api:
        result = sync(engine, api)
    assert not result.ok and api.requests == [] and "kommun är inte inställd" in result.message


def test_the_address_keeps_its_own_query_and_asks_for_the_county_too():
    url = events_url("https://example.test/api/events?type=Brand&locationname=X", ["Sävsjö"])
    assert url == "https://example.test/api/events?type=Brand&locationname=S%C3%A4vsj%C3%B6"
    assert feed.location_names("Sävsjö") == ["Sävsjö", "Jönköpings län"]
    assert feed.location_names("Vellinge") == ["Vellinge", "Skåne län"]


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("1h", 3600), ("30s", 30), (" 2 min ", 120), ("1,5h", 5400)]
)
def test_intervals(text, seconds):
    assert feed.parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["15", "0m", "kvart", "-5m", ""])
def test_bad_intervals_are_refused(text):
    with pytest.raises(ValueError, match="inget intervall"):
        feed.parse_interval(text)


def test_run_every_runs_now_and_then_at_the_interval_until_interrupted():
    calls, waits = [], []

    def wait(seconds):
        waits.append(seconds)
        if len(waits) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        feed.run_every(900, lambda: calls.append(1), wait=wait)
    assert len(calls) == 3 and len(waits) == 3
    assert all(899 < w <= 900 for w in waits)  # start to start: the run's own time is taken off


# --- through the command line ------------------------------------------------------------------


def cli(capsys, db_url, *args) -> tuple[int, str, str]:
    code = main(["--database-url", db_url, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def cli_sync(capsys, db_url, api, *args) -> tuple[int, str, str]:
    return cli(
        capsys,
        db_url,
        "polisen",
        "sync",
        "--url",
        api.url,
        "--timeout",
        "0.5",
        "--attempts",
        "3",
        "--backoff",
        "0.01",
        *args,
    )


def test_the_command_syncs_retries_and_reports(forum, db_url, capsys, caplog):
    caplog.set_level(logging.INFO, logger="lagesbild.polisen")
    with PoliceApi(Reply(b"", status=500), Reply(FIRST)) as api:
        code, out, err = cli_sync(capsys, db_url, api)
        assert code == 0, err
        assert f"{len(expected_ids(FIRST))} nya händelser importerades" in out
        assert any("HTTP 500" in r.getMessage() for r in caplog.records)

        api.then(Reply(b"[{"))
        code, out, err = cli_sync(capsys, db_url, api)
        assert code == 1 and "Fel: Polisens händelser gick inte att hämta efter 3 försök" in err

        api.then(Reply(LATER))
        code, out, err = cli_sync(capsys, db_url, api)
        assert code == 0 and f"{len(expected_ids(LATER) - expected_ids(FIRST))} nya" in out
        assert f"{len(expected_ids(LATER) & expected_ids(FIRST))} fanns redan" in out

    assert set(stored_ids(forum)) == expected_ids(FIRST) | expected_ids(LATER)
    code, out, _ = cli(capsys, db_url, "polisen", "status")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert "lyckades" in lines[0] and "misslyckades" in lines[1] and "lyckades" in lines[2]
    assert all(line.startswith("2026-11-21 20:00") for line in lines)  # local time, newest first


@FAILURES
def test_the_command_retries_a_failure_and_then_fails_the_run(
    forum, db_url, capsys, caplog, failure, logged
):
    caplog.set_level(logging.INFO, logger="lagesbild.polisen")
    with PoliceApi(failure, Reply(FIRST)) as api:
        code, out, err = cli_sync(capsys, db_url, api)
        assert code == 0, err
        assert f"{len(expected_ids(FIRST))} nya händelser importerades" in out
        api.then(failure)
        code, out, err = cli_sync(capsys, db_url, api)
        assert code == 1 and "gick inte att hämta efter 3 försök" in err and logged in err
        assert len(api.requests) == 2 + 3
    retries = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(retries) == 1 + 3 and all(logged in r for r in retries)
    assert sorted(stored_ids(forum)) == sorted(expected_ids(FIRST))
    assert [(r.ok, r.attempts) for r in runs(forum)] == [(True, 2), (False, 3)]


def test_the_command_reads_the_address_from_the_environment(forum, db_url, capsys, monkeypatch):
    with PoliceApi(Reply(FIRST)) as api:
        monkeypatch.setenv("LAGESBILD_POLISEN_URL", api.url)
        code, _, err = cli(capsys, db_url, "polisen", "sync", "--timeout", "0.5")
        assert code == 0, err
        assert len(api.requests) == 1
    assert sorted(stored_ids(forum)) == sorted(expected_ids(FIRST))


def test_the_command_refuses_an_unknown_organisation(forum, db_url, capsys):
    with PoliceApi(Reply(FIRST)) as api:
        code, _, err = cli_sync(capsys, db_url, api, "--org", "Kommunpolisen")
    assert code == 1 and api.requests == []
    assert "Fel: Organisationen ”Kommunpolisen” finns inte" in err
    assert "lagesbild org add Kommunpolisen --kind polis" in err


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--every", "15"], "skriv t.ex. 15m"),
        (["--timeout", "0"], "”0” är inte ett antal sekunder större än noll"),
        (["--timeout", "nan"], "”nan” är inte ett antal sekunder större än noll"),
        (["--attempts", "0"], "”0” är inte ett heltal från 1"),
        (["--backoff", "-1"], "”-1” är inte ett antal sekunder"),
    ],
)
def test_the_command_refuses_bad_options(capsys, sqlite_url, option, message):
    with pytest.raises(SystemExit) as exit_:
        main(["--database-url", sqlite_url, "polisen", "sync", *option])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_status_before_any_run(sqlite_url, capsys):
    code, out, _ = cli(capsys, sqlite_url, "polisen", "status")
    assert code == 0 and "har inte hämtats än" in out


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize(
    ("stop", "background"),
    [(signal.SIGINT, False), (signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["ctrl-c", "ctrl-c-background-job", "sigterm"],
)
def test_every_keeps_running_until_stopped(forum, db_url, stop, background):
    """A real process: it runs at once and then at the interval, a failed run does not stop it,
    and Ctrl-C (SIGINT) or SIGTERM (`systemctl stop`) ends it cleanly with exit code 0 – Ctrl-C
    too when the command was started as a shell's background job (SIGINT ignored)."""
    with PoliceApi(Reply(FIRST), Reply(b"", status=500), Reply(LATER)) as api:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lagesbild.cli",
                "--database-url",
                db_url,
                "polisen",
                "sync",
                "--url",
                api.url,
                "--every",
                "1s",
                "--timeout",
                "0.5",
                "--attempts",
                "1",
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_ignore_sigint if background else None,
        )
        try:
            deadline = time.monotonic() + 60
            while len(runs(forum)) < 3 and process.poll() is None:
                assert time.monotonic() < deadline, "the feed did not run three times"
                time.sleep(0.2)
            process.send_signal(stop)
            out, err = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == 0, err
    assert "Hämtar polisens händelser var 1 s" in out and out.rstrip().endswith("Avslutad.")
    assert "Traceback" not in err and "HTTP 500" in err
    assert [r.ok for r in runs(forum)][:3] == [True, False, True]
    assert set(stored_ids(forum)) == expected_ids(FIRST) | expected_ids(LATER)


def test_two_runs_at_once_store_nothing_twice(forum):
    """Another run stores one of the same events after this run looked for it and before it
    writes: this run stores nothing, is recorded as failed, and the next run adds the rest."""
    racing_id = min(expected_ids(FIRST))
    other = forum.connect()
    rival = other.begin()
    other.execute(
        insert(Incident).values(
            occurred_at=dt.datetime(2026, 1, 1, 12, 0),
            day=0,
            hour=12,
            category_id=other.scalar(select(func.min(Category.id))),
            reporting_org_id=other.scalar(select(Organisation.id)),
            precision="ungefar",
            source="polisen",
            source_id=racing_id,
        )
    )

    def commit_the_rival(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO import_batch") and rival.is_active:
            rival.commit()

    event.listen(forum, "before_cursor_execute", commit_the_rival)
    try:
        with PoliceApi(Reply(FIRST)) as api:
            raced = sync(forum, api)
            event.remove(forum, "before_cursor_execute", commit_the_rival)
            assert not rival.is_active  # the race happened
            assert not raced.ok and "inget sparades" in raced.message
            assert stored_ids(forum) == [racing_id]
            after = sync(forum, api)
    finally:
        if event.contains(forum, "before_cursor_execute", commit_the_rival):
            event.remove(forum, "before_cursor_execute", commit_the_rival)
        other.close()
    assert after.ok and (after.added, after.already) == (len(expected_ids(FIRST)) - 1, 1)
    ids = stored_ids(forum)
    assert len(ids) == len(set(ids)) and set(ids) == expected_ids(FIRST)
    assert [r.ok for r in runs(forum)] == [False, True]


def test_no_server_at_the_address_is_retried_then_failed(forum):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pauses = []
    result = feed.sync_police(
        forum, base_url=f"http://127.0.0.1:{port}/api/events", policy=QUICK, sleep=pauses.append
    )
    assert not result.ok and result.attempts == 3 and pauses == [0.01, 0.02]
    assert "ingen förbindelse" in result.message and not runs(forum)[0].ok


@pytest.mark.parametrize(
    "address", ["polisen.se/api/events", "ftp://polisen.se/api", "file:///etc"]
)
def test_an_address_that_is_no_web_address_is_refused(forum, address):
    result = feed.sync_police(forum, base_url=address, policy=QUICK)
    assert not result.ok and result.attempts == 0
    assert "ingen webbadress" in result.message and stored_ids(forum) == []


def test_an_answer_without_events_is_a_good_run(forum):
    with PoliceApi(Reply(b"[]")) as api:
        result = sync(forum, api)
    assert result.ok and (result.attempts, result.fetched, result.added) == (1, 0, 0)
    assert len(api.requests) == 1 and runs(forum)[0].ok


def test_an_unknown_type_in_the_feed_is_recorded_by_name_and_count(forum, db_url, capsys):
    """A type the police start using tomorrow is not dropped silently: the run's message (shown
    on the admin page) and the command's output name it with its count."""
    answer = events(FIRST)
    for renamed_event in [e for e in answer if e["name"].endswith("Vellinge")][:3]:
        renamed_event["type"] = "Rymning"
    renamed = sum(e["type"] == "Rymning" for e in answer)
    assert renamed == 3
    with PoliceApi(Reply(json.dumps(answer).encode())) as api:
        code, out, _ = cli_sync(capsys, db_url, api)
    assert code == 0 and "Okända händelsetyper från polisen" in out
    assert f"”Rymning” ({renamed})" in out
    [run] = runs(forum)
    assert run.ok and f"”Rymning” ({renamed})" in run.message
    assert "Händelsetyper som inte importeras, efter skäl" in out  # the other notes are printed
