"""A pinned digest of the ordinary demo forum (seed, moment, size): any change to what the
generator writes – a row, a value, an order of ids – changes it.

The clock stands still while the forum is built, so every default timestamp is the pinned
moment. Only the bcrypt password hashes (random salts) are left out. Values are normalised
(datetimes as ISO text, JSON with sorted keys, booleans as 0/1) so that SQLite and PostgreSQL
give the same digest.

If the demo is changed on purpose (or a table or column is added to the schema), run this file
with `LAGESBILD_PRINT_DIGEST=1 ... -s` to print the new figures and update `EXPECTED`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

import pytest
from sqlalchemy import select

from lagesbild import clock, db
from lagesbild.demo import build_demo
from lagesbild.models import Base
from tests.conftest import DEMO_NOW, DEMO_SEED

# Legitimately random: bcrypt salts.
EXCLUDED = {("app_user", "password_hash")}

EXPECTED: dict[str, tuple[int, str]] = {
    "area": (9, "502f72dbd71f5272fe33a7d650fc03ef74dc71dfba96246c58a969ed26b4a2da"),
    "category_group": (5, "0dcbff5c39f1e1adc2fc6d9221abec0dd420b8830518d24352d9a2e5924fbcd0"),
    "feed_run": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "login_throttle": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "organisation": (10, "ca96c0adbfdf6432ab88fe611d93e9e8e91be1ab1e8cf30a96f3dc218f77904f"),
    "setting": (3, "c2617af0e703a8150a7e4614f08348fa0c371e3754f6b2e2dd905674f4ba7c55"),
    "app_user": (11, "30632d4bba3eec0116f06a3ba0d32975fbd35b3261e8f846e83e24469bfa36fd"),
    "category": (22, "06e8ba291e66c6f992683f1151ecf803d80e42da29ea205dd0e8d515367ae4d6"),
    "import_mapping": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "place": (62, "2831d18ea9671b19df1d7ee8fb8133aed17e4a97dc23e8f9e7731609df419fd0"),
    "audit_log": (1, "f5bb920a94305f2400858984aa9dce1f3a11112fba137be0d5dd0370f8e58b95"),
    "event": (40, "be7753c02b27a8e43f37e8f741c7dba14855f0a047f9f27ba1ad82cdbd0d8a09"),
    "import_batch": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "mail_outbox": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "meeting": (157, "21910b2acb1b57824e649c0dd4b9f0f6d166eb343a8c8c42b4a2475d5f29241e"),
    "password_token": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "safety_walk": (2, "24493283d8ab97bcc99433b10c2bae3c4916e7cf7919b3bb240b1929986bf9b6"),
    "action": (45, "8147a4ed2d2a2015ea60b72d173361a94e15c3f3f30bb12ba081ae8359adfbe8"),
    "incident": (14787, "77ed6249f69113b188505e9206da511f4a9c14fb0041afcdafcc3a5c897cca4b"),
    "meeting_attendance": (
        1070,
        "822bef0246567a4af7c589151642318c6aa7c54917cc48352260dd20015e7b21",
    ),
    "observation": (102, "b962377a88117e4be5425580fab48a18117cc9caa57d9fcddca57c5a4c48f205"),
    "action_category": (58, "9bd84cd2105232def1620fb3370888ac3dccd6d821953af2161ef1b0254b1054"),
    "action_incident": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "action_status_change": (
        160,
        "7995b3d32ba6537c7e7e0eb6d92d24e7d99086374cf2bac42e6266571ca99c11",
    ),
    "decision": (121, "8f3fb0d2facafed5281ae1e1f90f80fa521e982e1a6cd2ceee5e53bd3e3130ce"),
    "event_action": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    "photo": (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
}


def _value(value) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    return str(value)


def content_digest(engine) -> dict[str, tuple[int, str]]:
    """Per table: (rows, sha256 of every row in primary-key order, columns sorted by name)."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = sorted(
                (c for c in table.columns if (table.name, c.name) not in EXCLUDED),
                key=lambda c: c.name,
            )
            order = list(table.primary_key.columns) or columns
            digest = hashlib.sha256()
            rows = 0
            for row in conn.execute(select(*columns).order_by(*order)):
                digest.update("\x1f".join(_value(v) for v in row).encode("utf-8") + b"\x1e")
                rows += 1
            out[table.name] = (rows, digest.hexdigest())
    return out


def test_the_demo_forum_is_exactly_the_pinned_one(engine):
    clock.pin(DEMO_NOW, running=False)
    build_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    got = content_digest(engine)
    if os.environ.get("LAGESBILD_PRINT_DIGEST"):
        print("\nEXPECTED = {")
        for name, (rows, digest) in got.items():
            print(f'    "{name}": ({rows}, "{digest}"),')
        print("}")
    assert got == EXPECTED


def test_a_reset_forum_is_the_pinned_one_too(engine):
    """`--reset` over another forum leaves nothing of it behind: not a row, not an id."""
    clock.pin(DEMO_NOW, running=False)
    build_demo(engine, seed=DEMO_SEED + 1, now=DEMO_NOW - dt.timedelta(days=40), incidents=500)
    build_demo(engine, seed=DEMO_SEED, now=DEMO_NOW, reset=True)
    assert content_digest(engine) == EXPECTED


@pytest.mark.parametrize("excluded", sorted(EXCLUDED))
def test_what_is_left_out_really_differs_between_builds(tmp_path, excluded):
    """The digest leaves out only what is random: two builds differ there and nowhere else."""
    clock.pin(DEMO_NOW, running=False)
    digests, values = [], []
    for name in ("a", "b"):
        engine = db.make_engine(f"sqlite:///{tmp_path / name}.db")
        build_demo(engine, seed=DEMO_SEED, now=DEMO_NOW, incidents=300)
        digests.append(content_digest(engine))
        table = Base.metadata.tables[excluded[0]]
        with engine.connect() as conn:
            values.append(list(conn.execute(select(table.c[excluded[1]]).order_by(table.c.id))))
        engine.dispose()
    assert digests[0] == digests[1]
    assert values[0] != values[1]
