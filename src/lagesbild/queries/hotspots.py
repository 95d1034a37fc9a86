"""Hot spots of a selection: the counts from the database, the rule from analysis, and each
unit named and placed – one function that the Hot spots page, the meeting view and the
summaries share."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from lagesbild.analysis import hotspots
from lagesbild.filters import Scope
from lagesbild.queries import incidents, lookup
from lagesbild.queries.common import Viewer

RULE = hotspots.Rule()  # the last 4 weeks against the 52 before: one rule for every surface


def find(
    conn: Connection, *, scope: Scope, viewer: Viewer, rule: hotspots.Rule, lat: float
) -> pd.DataFrame:
    """Every place and cell with reports in the recent window (ending with the scope's last
    day) or its baseline, tested by the rule. Columns: those of `hotspots.evaluate` plus
    name, lat, lon."""
    recent, baseline = hotspots.windows(scope.window.end, rule)
    size = incidents.metre_cells(incidents.HOTSPOT_CELL_M, lat)
    counts = incidents.unit_window_counts(
        conn, scope=scope, viewer=viewer, recent=recent, baseline=baseline, size=size
    )
    counts["cell_lat"] = (counts["row"].astype(float) + 0.5) * size[0] - 90.0
    counts["cell_lon"] = (counts["col"].astype(float) + 0.5) * size[1] - 180.0
    return hotspots.locate(hotspots.evaluate(counts, rule), lookup.places(conn, active_only=False))


def flagged(
    conn: Connection, *, scope: Scope, viewer: Viewer, lat: float, rule: hotspots.Rule = RULE
) -> pd.DataFrame:
    """The hot spots (new and escalating) at the end of the scope's window, by the rule the
    Hot spots page opens with: what the meeting, its minutes and the reports all show."""
    return hotspots.flagged(find(conn, scope=scope, viewer=viewer, rule=rule, lat=lat))
