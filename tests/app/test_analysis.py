"""The analysis pages through app.py: shared links, bad links, empty selections, drill-down
data, and a database that fails under a page."""

import datetime as dt
import html
import json
import re

import pytest
from sqlalchemy import text

from lagesbild import auth, clock, db
from lagesbild.filters import Known, from_query, resolve
from lagesbild.queries import incidents
from lagesbild.queries.common import Viewer
from lagesbild.services import reports
from lagesbild.services.reports import IncidentInput
from tests.app.conftest import login, texts

ANALYSIS = ["pages/karta.py", "pages/trender.py", "pages/monster.py", "pages/hotspots.py"]


@pytest.fixture
def app(make_app, demo_sqlite_url):
    return login(make_app(demo_sqlite_url), "samordnare")


def _area_id(url, name):
    with db.make_engine(url).connect() as conn:
        return conn.execute(text("SELECT id FROM area WHERE name = :n"), {"n": name}).scalar_one()


def test_a_shared_link_restores_the_filter(make_app, demo_sqlite_url):
    area = _area_id(demo_sqlite_url, "Höllviken")
    app = make_app(demo_sqlite_url)
    app.query_params["period"] = "ar"
    app.query_params["omrade"] = str(area)
    login(app, "samordnare")
    app.switch_page("pages/trender.py").run()
    assert not app.exception and not app.warning
    assert app.selectbox(key="flt_period").value == "ar"
    assert app.multiselect(key="flt_areas").value == [area]
    assert any("Höllviken" in c for c in texts(app.caption))
    assert app.query_params["period"] == "ar"


def test_a_malformed_link_is_ignored_with_notices(make_app, demo_sqlite_url):
    app = make_app(demo_sqlite_url)
    app.query_params.update({"period": "igår", "omrade": "99999", "kategori": "x"})
    login(app, "samordnare")
    app.switch_page("pages/karta.py").run()
    assert not app.exception and not app.error
    warnings = " ".join(texts(app.warning))
    assert "Okänd period ”igår”" in warnings
    assert "Okänd område" in warnings and "Okänd kategori" in warnings
    assert app.selectbox(key="flt_period").value == "30d"


def test_changing_the_filter_updates_the_address(app, demo_sqlite_url):
    app.switch_page("pages/monster.py").run()
    app.selectbox(key="flt_period").set_value("90d").run()
    area = _area_id(demo_sqlite_url, "Skanör")
    app.multiselect(key="flt_areas").set_value([area]).run()
    assert app.query_params["period"] == "90d"
    assert app.query_params["omrade"] == str(area)
    app.button(key="flt_reset").click().run()
    assert "period" not in app.query_params and "omrade" not in app.query_params


@pytest.mark.parametrize("page", ANALYSIS)
def test_a_filter_that_matches_nothing_explains_itself(make_app, demo_sqlite_url, page):
    app = make_app(demo_sqlite_url)
    app.query_params.update({"period": "egen", "fran": "1990-01-01", "till": "1990-12-31"})
    login(app, "samordnare")
    app.switch_page(page).run()
    assert not app.exception and not app.error
    infos = " ".join(texts(app.info)) + " ".join(texts(app.success))
    assert "Inga" in infos or "Ingen" in infos, infos


def test_trend_figures_equal_the_queries(app, demo_sqlite_url):
    app.switch_page("pages/trender.py").run()
    metric = {m.label: m.value for m in app.metric}
    engine = db.make_engine(demo_sqlite_url)
    scope = resolve(from_query({}, Known())[0], Known(), _now(), None)
    with engine.connect() as conn:
        total = incidents.compare(conn, scope=scope, viewer=Viewer(None, True)).iloc[0]
    assert metric["Händelser i perioden"] == f"{total['current']:,}".replace(",", "\u00a0")
    assert metric["Samma period i fjol"] == f"{total['last_year']:,}".replace(",", "\u00a0")
    assert "Jämförelse per kategorigrupp" in texts(app.subheader)


def _now():
    from lagesbild.clock import local_now

    return local_now().replace(second=0, microsecond=0)


def test_hot_spots_find_the_planted_surge(app):
    app.switch_page("pages/hotspots.py").run()
    table = app.dataframe[0].value
    assert "Vellinge busstation" in list(table["Plats"])
    assert set(table["Status"]) <= {"Ny", "Eskalerande"}


def _legend(app) -> str:
    """The legend drawn over the map (an HTML element next to the chart)."""
    return " ".join(e.proto.body for e in app.get("html") if "lb-legend" in e.proto.body)


def _view(app) -> dict:
    return json.loads(app.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]


def _legend_lines(app) -> list[str]:
    """The legend's lines as a reader sees them (symbols and markup left out)."""
    lines = re.findall(r"<li>.*?</span>(.*?)</li>", _legend(app))
    return [html.unescape(line.replace("<wbr>", "")).strip() for line in lines]


def test_the_map_aggregates_long_periods_in_cells(app):
    app.switch_page("pages/karta.py").run()
    assert "Varje punkt är en rapport" in _legend(app)
    assert "Skadegörelse" in _legend(app) and "kommungräns" in _legend(app)
    # the group "Otrygg plats" and the layer of unsafe places are told apart by name
    lines = _legend_lines(app)
    assert "Otrygg plats" in lines and len({line.casefold() for line in lines}) == len(lines)
    app.selectbox(key="flt_period").set_value("allt").run()
    assert "sammanräknade i rutor" in _legend(app)
    assert not app.exception


def test_the_map_search_centres_on_a_place(app):
    app.switch_page("pages/karta.py").run()
    whole = _view(app)
    app.selectbox(key="map_search").select("Vellinge busstation (Vellinge tätort)").run()
    near = _view(app)
    assert near["zoom"] > whole["zoom"] + 2
    assert abs(near["latitude"] - 55.4702) < 0.001 and abs(near["longitude"] - 13.0178) < 0.006
    assert "sökt plats" in _legend(app)
    app.selectbox(key="map_search").select("Höllviken (område)").run()
    assert abs(_view(app)["latitude"] - 55.41) < 0.03 and not app.exception


def test_a_database_failing_under_a_page_gives_a_swedish_error(app, demo_sqlite_url):
    with db.make_engine(demo_sqlite_url).begin() as conn:
        conn.execute(text("DROP TABLE action_incident"))
        conn.execute(text("DROP TABLE incident"))
    app.switch_page("pages/trender.py").run()
    assert not app.exception
    assert "Databasen svarar inte just nu" in app.error[0].value


def test_leadership_reads_the_analysis_too(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "ledning")
    for page in ANALYSIS:
        app.switch_page(page).run()
        assert not app.exception and not app.error


def test_a_warm_page_reuses_its_figures_until_something_new_is_reported(
    app, demo_sqlite_url, monkeypatch
):
    """Within the hour a page's figures are computed once; a report saved elsewhere (another
    app server, an import, the police feed: nothing here drops the cache) is counted on the
    very next run."""
    computed = []
    compare = incidents.compare

    def counted(*args, **kwargs):
        computed.append(1)
        return compare(*args, **kwargs)

    monkeypatch.setattr(incidents, "compare", counted)

    def in_period() -> int:
        metric = {m.label: m.value for m in app.metric}
        return int("".join(c for c in metric["Händelser i perioden"] if c.isdigit()))

    clock.pin(dt.datetime(2026, 11, 21, 20, 5), running=False)
    app.switch_page("pages/trender.py").run()
    before = in_period()
    assert len(computed) == 1
    clock.pin(dt.datetime(2026, 11, 21, 20, 40), running=False)
    app.run()
    assert len(computed) == 1 and in_period() == before  # warm: nothing computed again

    engine = db.make_engine(demo_sqlite_url)
    with db.transaction(engine) as session:
        polis = auth.actor_for(auth.get_user(session, "polis"))
        category = session.scalar(text("SELECT min(id) FROM category WHERE active"))
        reports.create_report(
            session,
            polis,
            [
                IncidentInput(
                    category_id=category,
                    lat=55.41,
                    lon=12.93,
                    occurred_at=dt.datetime(2026, 11, 21, 20, 30),
                )
            ],
        )
    engine.dispose()
    app.run()
    assert not app.exception
    assert len(computed) == 2 and in_period() == before + 1
