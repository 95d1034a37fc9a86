"""What every scenario piece shares while the demo forum is built: the session, the two random
generators (numpy for volumes, `random` for the handful of hand-made records) and the records
made so far, looked up by their scenario names."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from lagesbild.demo.calendar import HISTORY_DAYS
from lagesbild.models import Area, Category, Organisation, Place, User
from lagesbild.reference import load_json

DEMO_PASSWORD = "lagesbild-demo"
DEFAULT_INCIDENTS = 15_000


@dataclass
class DemoSummary:
    incidents: int = 0
    observations: int = 0
    actions: int = 0
    meetings: int = 0
    events: int = 0
    places: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, org


class Forum:
    """The demo forum under construction. The pieces run in a fixed order (see `build`), each
    drawing from the same generators, so the same seed and moment give the same database."""

    def __init__(self, session: Session, seed: int, now: dt.datetime, incidents: int):
        self.session = session
        self.rng = np.random.default_rng(seed)
        self.py = random.Random(seed)
        self.now = now.replace(second=0, microsecond=0)
        self.today = self.now.date()
        self.start = self.today - dt.timedelta(days=HISTORY_DAYS - 1)
        self.target = incidents
        self.spec = load_json("demo", "vellinge.json")
        # filled by the pieces, in order
        self.orgs: dict[str, Organisation] = {}  # by scenario key ("polis")
        self.users: dict[str, User] = {}  # a member by organisation key, others by username
        self.areas: dict[str, Area] = {}
        self.places: list[tuple[Place, float]] = []  # with each place's incident weight
        self.place_by_name: dict[str, Place] = {}
        self.categories: list[Category] = []  # in display order
        self.cat_by_name: dict[str, Category] = {}
        self.cat_group: dict[int, str] = {}  # category id -> group name

    def reporter_user(self, org_key: str) -> int:
        """The user who reports for an organisation (the chair for those without a member)."""
        user = self.users.get(org_key) or self.users["samordnare"]
        return user.id

    @property
    def chair(self) -> User:
        return self.users["samordnare"]
