"""Swedish and accessible, in a real browser: every page for every role on the demo forum.

One server; one browser context per role, visiting each page of its menu in turn. On every
page: `<html lang="sv">`, no English in any visible text or accessible name, and no serious or
critical axe-core violation. Problems are gathered over all pages and roles and reported
together. docs/accessibility.md describes what is checked and how.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import log_in, open_as, settle, shot

pytestmark = pytest.mark.e2e

ROLES = {"admin": "admin", "samordnare": "samordnare", "medlem": "polis", "ledning": "ledning"}

# Words and phrases of Streamlit's (and its components') English that must never reach a user.
# Case-sensitive, whole words. Month names that are spelt alike in Swedish at the start of a
# sentence (April, September, November, December) cannot be told apart and are left out.
ENGLISH = re.compile(
    r"\b("
    r"Upload|Browse files|Drag and drop|per file|Press (?:Enter|Ctrl|⌘)|to apply|submit form|"
    r"None|Choose|Select(?:ed)?|No options|No results|options?|Increment|Decrement|Help for|"
    r"(?:Show|Hide) password|Download as|Search|Fullscreen|Close|Open|Running|Stop|Deploy|"
    r"Clear(?: all)?|Remove|Sidebar|sidebar|Collapse|Expand|App pages|Main menu|Rerun|"
    r"Settings|Print|About|Toggle|Zoom (?:In|Out|in|out)|Map|logo|year|month|day|hour|minute|"
    r"Empty|color picker|Skip to|Link to heading|file upload|yyyy|YYYY|mm/dd|"
    r"Sort (?:ascending|descending)|Show/hide|columns?|Copy|Loading|Connecting|Please wait|"
    r"January|February|March|May|June|July|August|October|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|available"
    r")\b"
)

# Every text node that is rendered, and every accessible name or hint (aria-label, title,
# placeholder, alt, aria-valuetext) of an element that is rendered or can take input.
COLLECT = """
() => {
  const out = [];
  const hidden = (el) => {
    if (el.closest('[aria-hidden="true"]')) return true;
    const s = getComputedStyle(el);
    return s.visibility === 'hidden' || s.display === 'none' || el.getClientRects().length === 0;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.trim();
    const el = n.parentElement;
    if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (!hidden(el)) out.push(['text', text]);
  }
  const names = ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext'];
  for (const el of document.querySelectorAll(names.map((a) => '[' + a + ']').join(','))) {
    if (hidden(el) && !el.matches('input, textarea, select, iframe')) continue;
    for (const a of names) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push([a, v.trim()]);
    }
  }
  return out;
}
"""


def english_on(page) -> list[str]:
    return sorted(
        {f"{kind}={text!r}" for kind, text in page.evaluate(COLLECT) if ENGLISH.search(text)}
    )


def axe_problems(page, axe) -> list[str]:
    results = axe.run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        for node in violation["nodes"]:
            problems.append(f"{violation['id']} ({violation['impact']}): {node['target']}")
    return problems


def wait_drawn(page, timeout: float = 60_000) -> None:
    settle(page, timeout)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0",
        timeout=30_000,
    )
    page.wait_for_timeout(600)


# Buttons whose label is cut off with "…": two such buttons side by side can read alike
# ("Protokoll som …", "Protokoll som …"), so every label must be read whole.
CUT_LABELS = """
() => Array.from(document.querySelectorAll('button, a[role=button]'))
  .filter((b) => b.getClientRects().length && !b.closest('[aria-hidden="true"]'))
  .flatMap((b) => Array.from(b.querySelectorAll('*')).filter(
      (el) => el.textContent.trim() && el.scrollWidth > el.clientWidth + 1
        && getComputedStyle(el).textOverflow === 'ellipsis'))
  .map((el) => el.textContent.trim())
"""


def check(page, axe, where: str, problems: list[str]) -> None:
    lang = page.evaluate("document.documentElement.lang")
    if lang != "sv":
        problems.append(f"{where}: lang={lang!r}")
    problems += [f"{where}: label cut off: {label!r}" for label in page.evaluate(CUT_LABELS)]
    problems += [f"{where}: English {text}" for text in english_on(page)]
    problems += [f"{where}: axe {text}" for text in axe_problems(page, axe)]


# Streamlit's transient texts (the status while a page runs, a lost connection): the same
# observer must translate them whenever they appear.
TRANSIENT = {
    "Running...": "Arbetar…",
    "Stop": "Stoppa",
    "Connecting": "Ansluter",
    "Press Ctrl+Enter to apply": "Tryck Ctrl+Enter för att använda",
}


def interact(page, axe, problems: list[str]) -> None:
    """What only shows on use: typing, the date picker, a search in a list with no match."""
    page.locator(".st-key-lb_menu a", has_text="Rapportera").click()
    wait_drawn(page)
    page.get_by_label("Kort beskrivning").fill("Trasig belysning")
    page.wait_for_timeout(400)
    check(page, axe, "Rapportera/skriver", problems)
    page.get_by_role("button", name=re.compile("^Välj datum")).first.click()
    page.get_by_role("dialog").first.wait_for()
    check(page, axe, "Rapportera/datumväljare", problems)
    page.keyboard.press("Escape")
    page.get_by_label("Kategorigrupp").click()
    page.keyboard.type("zzz")
    page.wait_for_timeout(400)
    check(page, axe, "Rapportera/sökning utan träff", problems)
    page.keyboard.press("Escape")
    for english, swedish in TRANSIENT.items():
        shown = page.evaluate(
            """async (text) => {
                const el = document.createElement('div');
                el.textContent = text;
                document.body.appendChild(el);
                await new Promise((r) => setTimeout(r, 50));
                const shown = el.textContent;
                el.remove();
                return shown;
            }""",
            english,
        )
        if shown != swedish:
            problems.append(f"övervakaren: {english!r} blev {shown!r}")


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_is_swedish_and_passes_axe(role, start_server, demo_sqlite_url, browser):
    """One role per test (so the suite's workers share them): the login form, every page of the
    role's menu, and for the chair some interaction – each checked for lang=sv, English text or
    accessible names, and axe-core's serious and critical findings."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    server = start_server(demo_sqlite_url)
    problems: list[str] = []
    username = ROLES[role]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="sv-SE")
    page = context.new_page()
    try:
        if role == "admin":  # the login form, checked once; the other roles come in by cookie
            page.goto(server.url)
            wait_drawn(page)
            check(page, axe, "inloggning", problems)
            page.get_by_label("Lösenord").fill("x")
            page.get_by_role("button", name="Visa tecknen").click()  # the eye, in Swedish
            check(page, axe, "inloggning med lösenord", problems)
            page.get_by_label("Lösenord").fill("")
            log_in(page, username)
        else:
            open_as(page, server, username)
        links = page.locator(".st-key-lb_menu a")
        links.first.wait_for()
        wait_drawn(page)
        titles = [
            links.nth(i).locator("[data-testid=stMarkdownContainer]").inner_text().strip()
            for i in range(links.count())
        ]
        for i, title in enumerate(titles):
            page.locator(".st-key-lb_menu a").nth(i).click()
            wait_drawn(page)
            assert page.get_by_role("heading", name=title).count() >= 1, (role, title)
            check(page, axe, f"{role}/{title}", problems)
        if role == "samordnare":
            interact(page, axe, problems)
    except Exception:
        shot(page, f"failed-a11y-{role}")
        raise
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    assert len(titles) == 16 if role == "admin" else len(titles) >= 10, titles
