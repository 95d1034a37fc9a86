"""A meeting's minutes (protokoll) as Markdown and as a PDF, both from the figures gathered
when the meeting closed (`queries.minutes.collect`)."""

from __future__ import annotations

import datetime as dt

from lagesbild import agenda, fmt
from lagesbild.export import blocks
from lagesbild.export.blocks import Section, Table

NO_DECISIONS = "Inga beslut fattades."
NUMERIC = ("Antal", "Normalt")


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _clock(value: str | None) -> str:
    when = _when(value)
    return when.strftime("%H:%M") if when else "–"


def _day(value: str | None) -> str:
    when = _when(value)
    return fmt.date(when) if when else "–"


def title(data: dict) -> str:
    return f"Protokoll {_day(data['held_at'])}"


def _table(header: list[str], rows: list[list]) -> Table:
    return Table(header, rows, frozenset(i for i, h in enumerate(header) if h in NUMERIC))


def _sections(data: dict) -> list[Section]:
    """The minutes' numbered sections; Markdown and PDF are both drawn from these."""
    since, until = _when(data["since"]), _when(data["until"])
    picture: list = [
        f"Perioden {fmt.datetime(since)} – {fmt.datetime(until)}: "
        f"{fmt.integer(data['total'])} händelser (normalt {fmt.decimal(data['usual_total'])}"
        + (
            f", vanligen {fmt.integer(data['usual_range'][0])}–"
            f"{fmt.integer(data['usual_range'][1])}"
            if data.get("usual_range")
            else ""
        )
        + "). Normalt = genomsnittet för en lika lång period under året innan"
        + (", vanligen = åtta perioder av tio det året." if data.get("usual_range") else ".")
    ]
    if data["groups"]:
        picture.append(
            _table(
                ["Kategorigrupp", "Antal", "Normalt"],
                [
                    [g["name"], fmt.integer(g["current"]), fmt.decimal(g["usual"])]
                    for g in data["groups"]
                ],
            )
        )
    if data["areas"]:
        picture.append(
            _table(
                ["Område", "Antal", "Normalt"],
                [
                    [a["name"], fmt.integer(a["current"]), fmt.decimal(a["usual"])]
                    for a in data["areas"]
                ],
            )
        )
    weeks = data.get("hotspot_window", "")
    if data["hotspots"]:
        picture.append(f"Hot spots – nya och eskalerande platser{', ' + weeks if weeks else ''}:")
        picture.append(
            [
                f"{h['name']}: {h['status'].lower()}, {h['recent']} rapporter "
                f"(normalt {fmt.decimal(h['expected'])}), {h['certainty'].lower()}"
                for h in data["hotspots"]
            ]
        )
    else:
        picture.append(
            f"Ingen plats stack ut{' de ' + weeks if weeks else ''} jämfört med sin normalnivå."
        )

    decisions: list = (
        [
            [
                f"{d['kind']}: {d['text']}" + (f" ({d['where']})" if d["where"] else "")
                for d in data["decisions"]
            ]
        ]
        if data["decisions"]
        else []
    )
    if data["new_actions"]:
        decisions.append("Nya åtgärder:")
        decisions.append(
            _table(
                ["Åtgärd", "Ansvarig", "Ansvarig roll", "Klart senast", "Plats"],
                [
                    [
                        a["title"],
                        a["owner"],
                        a.get("role") or "–",
                        _day(a["due"]),
                        a["where"] or "–",
                    ]
                    for a in data["new_actions"]
                ],
            )
        )
    if not decisions:
        decisions = [NO_DECISIONS]

    follow_up: list = []
    if data["changed_actions"]:
        follow_up.append(
            _table(
                ["Åtgärd", "Ansvarig", "Ansvarig roll", "Från", "Till", "Kommentar"],
                [
                    [c["title"], c["owner"], c.get("role") or "–", c["from"], c["to"], c["note"]]
                    for c in data["changed_actions"]
                ],
            )
        )
    else:
        follow_up.append("Ingen åtgärd ändrade status under mötet.")
    follow_up.append(
        f"Öppna åtgärder efter mötet: {fmt.integer(data['open_actions'])}, varav "
        f"{fmt.integer(data['overdue_actions'])} försenade"
        + (f" ({data['overdue_meaning']})." if data.get("overdue_meaning") else ".")
    )

    events: list = (
        [
            [
                f"{e['kind']}: {e['title']}, {fmt.span(_when(e['starts']), _when(e['ends']))}"
                + (f" ({e['where']})" if e["where"] else "")
                for e in data["events"]
            ]
        ]
        if data["events"]
        else ["Inga arrangemang eller riskperioder de närmaste fyra veckorna."]
    )
    feedback = [
        f"Till rapportörerna: {data['feedback_reporters'] or '–'}",
        f"Till ledningen: {data['feedback_leadership'] or '–'}",
    ]
    if data["notes"]:
        feedback.append(f"Övrigt: {data['notes']}")
    steps = {
        agenda.NEW: picture,
        agenda.POLICE_RESCUE: _police_rescue(data),
        agenda.FOLLOW_UP: follow_up,
        agenda.EVENTS: events,
        agenda.DECISIONS: decisions,
        agenda.FEEDBACK: feedback,
    }
    return [Section(agenda.heading(step), steps[step]) for step in range(len(agenda.AGENDA))] + [
        Section("Justering", _adjustment(data))
    ]


def _police_rescue(data: dict) -> list:
    if "police_rescue" not in data:  # minutes made before this step was recorded
        return ["Ingen sammanställning sparades för den här punkten."]
    out: list = []
    for kind in data["police_rescue"]:
        if not kind["member"]:
            out.append(f"{kind['name']}: ingen organisation av den typen är med i forumet.")
            continue
        out.append(
            f"{kind['name']}: {fmt.integer(kind['total'])} "
            f"{'rapport' if kind['total'] == 1 else 'rapporter'} sedan förra mötet "
            f"(normalt {fmt.decimal(kind['usual'])})."
        )
        if kind["categories"]:
            out.append(
                _table(
                    ["Kategori", "Antal", "Normalt"],
                    [
                        [c["name"], fmt.integer(c["current"]), fmt.decimal(c["usual"])]
                        for c in kind["categories"]
                    ],
                )
            )
    return out


LINE = "." * 24


def _adjustment(data: dict) -> list:
    """Who checks the minutes, with lines for the date and signature."""
    return [
        "Protokollet justeras av ordföranden och en justerare som mötet utser.",
        Table(
            ["", "Namn", "Datum", "Underskrift"],
            [["Ordförande", data["chair"] or LINE, LINE, LINE], ["Justerare", LINE, LINE, LINE]],
            widths=[0.16, 0.34, 0.2, 0.3],
        ),
    ]


def header_lines(data: dict) -> list[str]:
    return [
        f"Möte {fmt.long_date(_when(data['held_at']).date())}, kl. {_clock(data['started_at'])}"
        f"–{_clock(data['closed_at'])}",
        f"Ordförande: {data['chair'] or '–'}",
        f"Närvarande: {', '.join(data['attendees']) or '–'}",
    ]


def _cell(value: object) -> str:
    return fmt.md_escape(value).replace("\n", " ")


def to_markdown(data: dict) -> str:
    """The minutes as Markdown; every text from the meeting (decisions, feedback, names) is
    escaped, so it reads as written and never becomes a link or an image."""
    md = fmt.md_escape
    lines = [f"# {title(data)} – {md(data['forum'])}", ""]
    lines += [f"{md(line)}  " for line in header_lines(data)]
    for section in _sections(data):
        lines += ["", f"## {section.heading}", ""]
        for block in section.blocks:
            if isinstance(block, str):
                lines += [md(block), ""]
            elif isinstance(block, list):
                lines += [f"- {md(item)}" for item in block] + [""]
            else:
                lines.append("| " + " | ".join(_cell(h) for h in block.header) + " |")
                lines.append(
                    "|"
                    + "|".join(
                        "---:" if i in block.numeric else "---" for i in range(len(block.header))
                    )
                    + "|"
                )
                lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in block.rows]
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_pdf(data: dict) -> bytes:
    from lagesbild.export.pdf import Document  # reportlab: only when a PDF is made

    made = _when(data["closed_at"]) or _when(data["held_at"])
    doc = Document(title(data), data["forum"], "Trygghetsforum", made=made.date())
    for line in header_lines(data):
        doc.text(line)
    return blocks.to_pdf(doc, _sections(data))
