"""A realistic demo forum: a Vellinge-like trygghetsforum with three years of history.

Deterministic: the same seed and the same `now` give the same database. Patterns follow what
forums see: evenings and weekend nights, summer, Valborg, skolavslutning, nyår; a handful of
genuine hot spots that rise and fall (some after an action was completed), and two that are
rising right now so the picture has something new to show.

`incidents` scales the volume (1,000,000 for benchmarks); incidents are generated vectorised
with numpy and written with the database's bulk path, everything else through the ORM.

The pieces, in the order `build_demo` runs them (each draws from the same seeded generators):

| module | what it adds |
|---|---|
| `organisations` | settings, organisations, demo users, categories |
| `places` | areas and places (`resources/demo/vellinge.json`) |
| `incidents` | the background incidents and their bulk write (`resources/demo/incidents.json`) |
| `surges` | planted hot spots and busy nights |
| `observations` | unsafe places and safety walks (`resources/demo/observations.json`) |
| `meetings` | weekly meetings, focus decisions, minutes (`resources/demo/meetings.json`) |
| `actions` | actions, their history and decisions (`resources/demo/actions.json`) |
| `events` | events and risk periods (`resources/demo/events.json`) |

`calendar` holds the named days and the meeting schedule, `patterns` the incident patterns,
`forum` the state the pieces share.
"""

from lagesbild.demo.build import DemoExists, build_demo
from lagesbild.demo.calendar import meeting_schedule, special_day_factor
from lagesbild.demo.forum import DEFAULT_INCIDENTS, DEMO_PASSWORD, DemoSummary

__all__ = [
    "DEFAULT_INCIDENTS",
    "DEMO_PASSWORD",
    "DemoExists",
    "DemoSummary",
    "build_demo",
    "meeting_schedule",
    "special_day_factor",
]
