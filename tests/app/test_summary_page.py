"""Kvartal through app.py: leadership lands here, the figures are the summary query's, the
period can be changed and shared by link, and a period without reports says so."""

from sqlalchemy import text

from lagesbild import db, fmt, periods
from lagesbild.clock import local_today
from lagesbild.queries import summary
from lagesbild.queries.common import Viewer
from tests.app.conftest import login


def _leadership_viewer(url: str) -> Viewer:
    with db.make_engine(url).connect() as conn:
        org = conn.execute(
            text("SELECT organisation_id FROM app_user WHERE username = 'ledning'")
        ).scalar_one()
    return Viewer(organisation_id=org, sees_restricted=False)


def _expected(url: str, period) -> summary.Summary:
    engine = db.make_engine(url)
    with engine.connect() as conn:
        lat = conn.execute(text("SELECT avg(lat) FROM place")).scalar_one()
    return summary.collect(
        engine, viewer=_leadership_viewer(url), period=period, lat=lat, today=local_today()
    )


def test_leadership_lands_on_the_latest_quarter(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "ledning")
    assert not app.exception and not app.error
    assert app.title[0].value == "Kvartal"
    period = periods.latest_complete("kvartal", local_today())
    assert app.query_params["period"] == period.code
    expected = _expected(demo_sqlite_url, period)
    assert app.metric[0].label == "Händelser"
    assert app.metric[0].value == fmt.integer(expected.totals["current"])
    assert app.metric[1].value == fmt.integer(expected.totals["last_year"])
    summary_lines = "\n".join(m.value for m in app.markdown)
    assert f"rapporterades {fmt.integer(expected.totals['current'])} händelser" in summary_lines
    buttons = app.get("download_button")
    labels = [b.proto.label for b in buttons]
    # Four columns at 1366 px leave room for about 22 characters: every label is read whole
    # and no two read alike; the tooltip names the document in full.
    assert labels == [
        "Lägesrapport (PDF)",
        "Tabeller (Excel)",
        "Åtgärdsplan (PDF)",
        "Åtgärdsplan (Word)",
    ]
    assert len(set(labels)) == len(labels) and all(len(label) <= 22 for label in labels)
    helps = [b.proto.help for b in buttons]
    assert sum("Lägesbild och åtgärdsplan" in h for h in helps) == 2


def test_changing_the_period_and_a_shared_link(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "ledning")
    app.segmented_control(key="sum_kind").set_value("År").run()
    assert not app.exception
    year = periods.latest_complete("ar", local_today())
    assert app.query_params["period"] == year.code
    expected = _expected(demo_sqlite_url, year)
    assert app.metric[0].value == fmt.integer(expected.totals["current"])

    linked = make_app(demo_sqlite_url)
    linked.query_params["period"] = "2026-T2"
    linked = login(linked, "ledning")
    assert linked.selectbox(key="sum_period_tertial").value.code == "2026-T2"


def test_a_bad_link_and_an_empty_period_get_clear_messages(make_app, demo_sqlite_url):
    app = make_app(demo_sqlite_url)
    app.query_params["period"] = "2026-K9"
    app = login(app, "ledning")
    assert not app.exception
    assert any("kunde inte läsas" in w.value for w in app.warning)

    app = make_app(demo_sqlite_url)
    app.query_params["period"] = "2015-K2"
    app = login(app, "ledning")
    assert not app.exception and not app.error
    assert app.metric[0].value == "0"
    assert any("Inga händelser rapporterades under Kvartal 2 2015" in i.value for i in app.info)
