"""Which pages exist, and which a role may see.

A page a role may not see is never passed to `st.navigation`: its script is not registered for
that session, so it cannot run. Its address is kept by a hidden stand-in that only sends the
user to their start page with a Swedish notice (instead of Streamlit's English "page not
found"). Before login every address is held by such a stand-in, so a shared link survives the
login form and opens after it.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lagesbild import permissions
from lagesbild.models import Role
from lagesbild.permissions import ADMINS, CHAIRS, WRITERS
from lagesbild.permissions import EVERYONE as ALL
from lagesbild.ui import context, notices


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str
    section: str
    roles: frozenset[Role]


# fmt: off
PAGES: list[PageSpec] = [
    PageSpec("pages/oversikt.py", "Översikt", ":material/dashboard:", "oversikt", "Lägesbild", ALL),
    PageSpec("pages/karta.py", "Karta", ":material/map:", "karta", "Lägesbild", ALL),
    PageSpec("pages/trender.py", "Trender", ":material/trending_up:", "trender", "Lägesbild", ALL),
    PageSpec("pages/monster.py", "Mönster", ":material/calendar_view_week:", "monster",
             "Lägesbild", ALL),
    PageSpec("pages/hotspots.py", "Hot spots", ":material/local_fire_department:", "hotspots",
             "Lägesbild", ALL),
    PageSpec("pages/kvartal.py", "Kvartal", ":material/summarize:", "kvartal", "Lägesbild", ALL),
    PageSpec("pages/mote.py", "Möte", ":material/co_present:", "mote", "Uppföljning", ALL),
    PageSpec("pages/atgarder.py", "Åtgärder", ":material/task_alt:", "atgarder", "Uppföljning",
             ALL),

    PageSpec("pages/arrangemang.py", "Arrangemang", ":material/event:", "arrangemang",
             "Uppföljning", ALL),

    PageSpec("pages/rapportera.py", "Rapportera", ":material/edit_note:", "rapportera",
             "Rapportering", WRITERS),
    PageSpec("pages/otrygg-plats.py", "Otrygg plats", ":material/report:", "otrygg-plats",
             "Rapportering", WRITERS),
    PageSpec("pages/import.py", "Import", ":material/upload_file:", "import", "Rapportering",
             WRITERS),
    PageSpec("pages/handelser.py", "Händelser", ":material/list_alt:", "handelser",
             "Rapportering", ALL),
    PageSpec("pages/administration.py", "Forumets listor", ":material/tune:", "administration",
             "Administration", CHAIRS),
    PageSpec("pages/anvandare.py", "Användare", ":material/group:", "anvandare",
             "Administration", ADMINS),
    PageSpec("pages/konto.py", "Mitt konto", ":material/person:", "konto", "Konto", ALL),
]
# fmt: on

START_PAGE: dict[Role, str] = {
    Role.ADMIN: "oversikt",
    Role.CHAIR: "oversikt",
    Role.MEMBER: "oversikt",
    Role.LEADERSHIP: "kvartal",
}


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may see, in menu order."""
    return [p for p in PAGES if permissions.may_see_page(role, p.roles)]


def menu(role: str) -> list[tuple[str, list[PageSpec]]]:
    """The role's pages by menu section, in menu order."""
    sections: dict[str, list[PageSpec]] = {}
    for spec in pages_for(role):
        sections.setdefault(spec.section, []).append(spec)
    return list(sections.items())


def _stand_in(spec: PageSpec, target: st.Page | None) -> st.Page:
    def redirect() -> None:
        if target is not None:
            notices.flash(
                f"Du har inte behörighet till sidan ”{spec.title}” och har skickats till "
                "din startsida.",
                kind="warning",
            )
            st.switch_page(target)

    return st.Page(redirect, title=spec.title, url_path=spec.url_path, visibility="hidden")


def navigation(role: str | None) -> st.Page:
    """Register the pages for a role (None: not logged in) and return the page to run."""
    if role is None:
        # The address without a page is a page of its own, so that after login it leads to
        # the role's start page rather than to the first page of the menu.
        root = st.Page(lambda: None, title="Lägesbild", url_path="start", default=True)
        stand_ins = [root, *(_stand_in(spec, None) for spec in PAGES)]
        return st.navigation(stand_ins, position="hidden")
    start = START_PAGE[Role(role)]
    allowed = {spec.url_path for spec in pages_for(role)}
    sections: dict[str, list[st.Page]] = {}
    start_page = None
    for spec in PAGES:
        if spec.url_path not in allowed:
            continue
        page = st.Page(
            spec.path,
            title=spec.title,
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.url_path == start,
        )
        sections.setdefault(spec.section, []).append(page)
        if spec.url_path == start:
            start_page = page
    hidden = [_stand_in(spec, start_page) for spec in PAGES if spec.url_path not in allowed]
    if hidden:
        sections.setdefault("", []).extend(hidden)
    # The menu itself is drawn in the sidebar by `shell.sidebar`, below the page's selection.
    chosen = st.navigation(sections, position="hidden")
    return _the_address_asked_for([page for pages in sections.values() for page in pages], chosen)


def _the_address_asked_for(pages: list[st.Page], chosen: st.Page) -> st.Page:
    """The page the session's address named, once the user is in. On a server's very first
    request Streamlit runs the file in pages/ before any st.navigation exists; the login gate
    sends that run through app.py, which drops the address (`context._require_gate` keeps it),
    so a bookmarked /atgarder opened with a valid login cookie right after a restart landed on
    the start page. Used once: later runs follow the menu."""
    address = st.session_state.pop(context.FIRST_ADDRESS_KEY, None)
    wanted = (address or "").rstrip("/").rsplit("/", 1)[-1]
    for page in pages:
        if wanted and page.url_path == wanted and page.url_path != chosen.url_path:
            st.switch_page(page)
    return chosen
