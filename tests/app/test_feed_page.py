"""The admin page shows the police feed's last run, its result and its counts."""

from lagesbild import db
from lagesbild.importers.polisen_api import Policy
from lagesbild.services import feed
from tests.app.conftest import login, texts
from tests.unit.police_api import PoliceApi, Reply, recorded

QUICK = Policy(timeout=0.5, attempts=3, backoff=0.0)


def feed_page(make_app, url):
    app = login(make_app(url), "admin")
    app.switch_page("pages/administration.py").run()
    assert not app.exception
    return app


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def runs_table(app):
    return next(d.value for d in app.dataframe if "Resultat" in d.value.columns)


def test_a_good_run_and_then_a_failed_one(make_app, demo_sqlite_url):
    engine = db.make_engine(demo_sqlite_url)
    with PoliceApi(Reply(recorded("vellinge_skane.json"))) as api:
        good = feed.sync_police(engine, base_url=api.url, policy=QUICK)
        assert good.ok and good.added > 0, good.message

        app = feed_page(make_app, demo_sqlite_url)
        assert not app.error
        [message] = [s for s in texts(app.success) if s.startswith("Senaste hämtning")]
        assert message == f"Senaste hämtning 2026-11-21 20:00 lyckades: {good.message}"
        assert metrics(app) == {
            "I svaret": "148",
            "Nya": str(good.added),
            "Fanns redan": "0",
            "Hoppades över": str(good.skipped),
            "Försök": "1",
        }

        api.then(Reply(b"", status=500))
        bad = feed.sync_police(engine, base_url=api.url, policy=QUICK)
        assert not bad.ok

    app = feed_page(make_app, demo_sqlite_url)
    [error] = texts(app.error)
    assert error.startswith("Senaste hämtning 2026-11-21 20:00 misslyckades: ")
    assert "efter 3 försök: HTTP 500" in error
    assert "Senaste lyckade hämtning: 2026-11-21 20:00." in texts(app.caption)
    assert metrics(app) == {
        "I svaret": "0",
        "Nya": "0",
        "Fanns redan": "0",
        "Hoppades över": "0",
        "Försök": "3",
    }
    table = runs_table(app)
    assert table["Resultat"].tolist() == ["Misslyckades", "Lyckades"]
    assert table["Nya"].tolist() == [0, good.added]
    assert table["Försök"].tolist() == [3, 1]


def test_before_the_first_run(make_app, demo_sqlite_url):
    app = feed_page(make_app, demo_sqlite_url)
    assert any("Polisens händelser har inte hämtats automatiskt än" in t for t in texts(app.info))
    assert not any("Senaste hämtning" in t for t in texts(app.success) + texts(app.error))
