"""Independent reference computations for tests: plain reads into pandas, no product code."""

import pandas as pd
from sqlalchemy import text


def incidents_frame(engine) -> pd.DataFrame:
    """Every incident with its group name, read without the product's query layer."""
    sql = text(
        "SELECT i.id, i.occurred_at, i.created_at, i.count, i.visibility, i.withdrawn_at, "
        "i.reporting_org_id, i.place_id, i.area_id, i.category_id, c.name AS category, "
        "c.group_id, i.lat, i.lon, i.precision, "
        "g.name AS grp FROM incident i JOIN category c ON c.id = i.category_id "
        "JOIN category_group g ON g.id = c.group_id"
    )
    with engine.connect() as conn:
        df = pd.read_sql(sql, conn)
    df["occurred_at"] = pd.to_datetime(df["occurred_at"])
    df["created_at"] = pd.to_datetime(df["created_at"])
    return df
