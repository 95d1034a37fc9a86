"""The minutes as Markdown (stored, shown and downloaded) hold the meeting's texts escaped: a
decision or feedback with link or image Markdown reads as written, on SQLite and PostgreSQL.
The PDF, which is not Markdown, keeps the text as typed."""

import io
import re

from pypdf import PdfReader

from lagesbild import db
from lagesbild.actor import SYSTEM
from lagesbild.export import minutes
from lagesbild.fmt import md_escape
from lagesbild.models import DecisionKind
from lagesbild.queries import meetings as meeting_queries
from lagesbild.services import exports, meetings
from tests.unit.test_meetings import LAT, _start, forum  # noqa: F401 (the fixture)

DECISION = "Belysning [klicka](http://evil.example) ![x](http://evil.example/x.png)"
FEEDBACK = "Tack!\n# Rubrik\n- <b>fet</b>"


def test_the_minutes_markdown_escapes_the_meetings_texts(forum):  # noqa: F811
    engine, ids, people = forum
    chair = people["chair"]
    meeting_id = _start(engine, chair, ids)
    with db.transaction(engine) as s:
        meetings.add_decision(s, chair, meeting_id, DecisionKind.OTHER.value, DECISION)
        meetings.save_text(s, chair, meeting_id, "feedback_reporters", FEEDBACK)
    with db.transaction(engine) as s:
        meetings.close_meeting(s, chair, meeting_id, "Forum [x](http://evil.example)", LAT)
    with engine.connect() as conn:
        data, stored = meeting_queries.minutes(conn, meeting_id)
    downloaded = exports.minutes_file(engine, SYSTEM, meeting_id, "md").decode("utf-8")
    for markdown in (stored, downloaded, minutes.to_markdown(data)):
        assert md_escape(DECISION) in markdown
        assert md_escape("Forum [x](http://evil.example)") in markdown
        assert "Till rapportörerna: " + md_escape(FEEDBACK) in markdown
        assert not re.search(r"(?<!\\)\]\(|http://|<b>", markdown)
    pdf = PdfReader(io.BytesIO(exports.minutes_file(engine, SYSTEM, meeting_id, "pdf")))
    words = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert " ".join(DECISION.split()) in words
