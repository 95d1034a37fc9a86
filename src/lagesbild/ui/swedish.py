"""Swedish and accessible in the browser: what Streamlit hard-codes, fixed from the app.

Streamlit renders `<html lang="en">` and a number of English labels and accessible names of its
own ("Upload", "Press Enter to apply", "Choose date", "Help for …"). A small script, injected
once per run by `install()`, sets `lang="sv"`, translates those strings by the word list below
and keeps doing so with a MutationObserver as Streamlit redraws. It only changes text and
attributes (never adds or moves nodes, which React owns), and it leaves the app's own Markdown
alone. The app's own widgets get Swedish placeholders and formats through their arguments; the
list here is for what cannot be reached that way. See docs/accessibility.md.
"""

from __future__ import annotations

import json

import streamlit as st

from lagesbild import fmt

# Exact strings (after trimming) → Swedish.
EXACT: dict[str, str] = {
    # page frame and sidebar
    "Skip to main content": "Hoppa till huvudinnehållet",
    "Link to heading": "Länk till rubriken",
    "Sidebar": "Sidopanel",
    "Collapse sidebar": "Fäll ihop sidopanelen",
    "Expand sidebar": "Fäll ut sidopanelen",
    "Open sidebar": "Öppna sidopanelen",
    "Close sidebar": "Stäng sidopanelen",
    "App pages": "Sidor",
    "View more": "Visa fler",
    "View less": "Visa färre",
    "Main menu": "Huvudmeny",
    "Rerun": "Kör om",
    "Settings": "Inställningar",
    "Print": "Skriv ut",
    "About": "Om",
    "Clear cache": "Töm cachen",
    "Record a screencast": "Spela in skärmen",
    "Deploy": "Publicera",
    "Running...": "Arbetar…",
    "Running…": "Arbetar…",
    "Stop": "Stoppa",
    "Connecting": "Ansluter",
    "Connection error": "Anslutningsfel",
    "Please wait...": "Vänta…",
    "Close": "Stäng",
    "Open": "Öppna",
    "Copy to clipboard": "Kopiera",
    "Fullscreen": "Helskärm",
    "Close fullscreen": "Stäng helskärm",
    "Exit fullscreen": "Stäng helskärm",
    # inputs
    # not "Visa lösenord": the field itself is "Lösenord", and its button must not share its name
    "Show password": "Visa tecknen",
    "Hide password": "Dölj tecknen",
    "Increment": "Öka",
    "Decrement": "Minska",
    "Choose an option": "Välj",
    "Select...": "Välj…",
    "No options to select": "Inga alternativ att välja",
    "No options to select.": "Inga alternativ att välja.",
    "No results": "Inga träffar",
    "Clear all": "Rensa alla",
    "Clear": "Rensa",
    "Selected values": "Valda värden",
    "Select all": "Välj alla",
    "None": "Ingen",
    "Empty": "Tom",
    "Choose date": "Välj datum",
    "Choose time": "Välj tid",
    "Previous month": "Föregående månad",
    "Next month": "Nästa månad",
    "Previous Month": "Föregående månad",
    "Next Month": "Nästa månad",
    "yyyy": "åååå",
    "YYYY": "ÅÅÅÅ",
    "yyyy-mm-dd": "åååå-mm-dd",
    "YYYY-MM-DD": "ÅÅÅÅ-MM-DD",
    "YYYY/MM/DD": "ÅÅÅÅ-MM-DD",
    "Upload": "Ladda upp",
    "Browse files": "Välj filer",
    "file upload": "Filuppladdning",
    "Remove file": "Ta bort filen",
    "Delete": "Ta bort",
    "Drag and drop file here": "Dra och släpp filen här",
    "Drag and drop files here": "Dra och släpp filerna här",
    "Drag and drop a file here": "Dra och släpp en fil här",
    "Press Enter to apply": "Tryck Enter för att använda",
    "Press Ctrl+Enter to apply": "Tryck Ctrl+Enter för att använda",
    "Press ⌘+Enter to apply": "Tryck ⌘+Enter för att använda",
    "Press Enter to submit form": "Tryck Enter för att skicka formuläret",
    "Press Ctrl+Enter to submit form": "Tryck Ctrl+Enter för att skicka formuläret",
    "Press ⌘+Enter to submit form": "Tryck ⌘+Enter för att skicka formuläret",
    # tables (the dataframe toolbar and menus)
    "Show/hide columns": "Visa eller dölj kolumner",
    "Download as CSV": "Ladda ned som CSV",
    "Search": "Sök",
    "Search...": "Sök…",
    "Search…": "Sök…",
    "Sort ascending": "Sortera stigande",
    "Sort descending": "Sortera fallande",
    "Hide column": "Dölj kolumnen",
    "Pin column": "Fäst kolumnen",
    "Unpin column": "Lossa kolumnen",
    "Autosize": "Anpassa bredden",
    # maps
    "Map": "Karta",
    "Mapbox logo": "Mapbox-logotyp",
    "Toggle attribution": "Visa eller dölj källor",
    "Zoom In": "Zooma in",
    "Zoom Out": "Zooma ut",
    "Zoom in": "Zooma in",
    "Zoom out": "Zooma ut",
    "Reset bearing to north": "Vrid mot norr",
    # an address that names no page
    "Page not found": "Sidan finns inte",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "Sidan i adressen finns inte. Startsidan visas i stället."
    ),
    # the login library's cookie helper (an invisible frame, named for screen readers)
    "extra_streamlit_components.CookieManager.cookie_manager": "Inloggningens kaka",
}

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTHS_SV = fmt.MONTHS
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DAYS_SV = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
_SHORT_DAYS = dict(
    zip(
        ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
        ["må", "ti", "on", "to", "fr", "lö", "sö"],
        strict=True,
    )
)
EXACT.update(_SHORT_DAYS)

# (JavaScript regular expression, replacement) tried in order when no exact string matched.
# `$1`… refer to the groups; MONTH/DAY are turned into Swedish names by the script.
PATTERNS: list[tuple[str, str]] = [
    (r"^Help for (.+)$", "Hjälp om $1"),
    (
        r"^You have requested page /(.+), but no corresponding file was found in the app's "
        r"pages/ directory\. Running the app's main page\.$",
        "Sidan /$1 finns inte. Startsidan visas i stället.",
    ),
    (r"^Choose date, (.+)$", "Välj datum, $1"),
    (r"^(\d+) options? available\.$", "$1 alternativ att välja."),
    (r"^(\d+) results? available\.$", "$1 träffar."),
    (r"^Remove (.+)$", "Ta bort $1"),
    (r"^year, (.+)$", "år, $1"),
    (r"^month, (.+)$", "månad, $1"),
    (r"^day, (.+)$", "dag, $1"),
    (r"^hour, (.+)$", "timme, $1"),
    (r"^minute, (.+)$", "minut, $1"),
    (r"^(.+) color picker$", "$1, färgväljare"),
    (r"^Limit (\d+) ?([KMG]B) per file(.*)$", "Högst $1 $2 per fil$3"),
    (r"^(\d+) ?([KMG]B) per file(.*)$", "Högst $1 $2 per fil$3"),
    (r"^Drag and drop (.+) here$", "Dra och släpp $1 här"),
    (r"^Press (.+) to apply$", "Tryck $1 för att använda"),
    (r"^(\d+) – (MONTH)$", "$1 – $2"),
    (r"^(MONTH) (\d{4})$", "$1 $2"),
    (r"^(MONTH)$", "$1"),
    (
        r"^(?:Choose|Selected\.) (DAY), (MONTH) (\d+)(?:st|nd|rd|th) (\d{4})\. "
        r"It's (?:available|not available)\.$",
        "Välj $1 $3 $2 $4",
    ),
]

# Attributes that carry visible or accessible text.
ATTRIBUTES = ["aria-label", "title", "placeholder", "alt", "aria-valuetext", "aria-placeholder"]


def _names() -> dict[str, str]:
    return dict(zip(_MONTHS + _DAYS, _MONTHS_SV + _DAYS_SV, strict=True))


SCRIPT = """
(function () {
  const EXACT = %(exact)s, NAMES = %(names)s, ATTRS = %(attrs)s;
  const MONTH = "(%(months)s)", DAY = "(%(days)s)";
  const PATTERNS = %(patterns)s.map(([p, r]) => [
    new RegExp(p.replace("(MONTH)", MONTH).replace("(DAY)", DAY)), r]);
  const SKIP = "script, style, [data-testid=stIconMaterial]";
  // The app's own Markdown is left alone, except where Streamlit writes its own labels as
  // Markdown (the file uploader's button).
  const MARKDOWN = "[data-testid=stMarkdownContainer]";
  const OWN = "[data-testid=stFileUploaderDropzone]";

  function translate(value) {
    const text = value.trim();
    if (!text) return null;
    let out = Object.prototype.hasOwnProperty.call(EXACT, text) ? EXACT[text] : undefined;
    if (out === undefined) {
      for (const [re, rep] of PATTERNS) {
        if (re.test(text)) {
          out = text.replace(re, rep).replace(/[A-Z][a-z]+/g, (w) => NAMES[w] || w);
          break;
        }
      }
    }
    return out === undefined || out === text ? null : value.replace(text, out);
  }
  function fixText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest(SKIP)) return;
    if (parent.closest(MARKDOWN) && !parent.closest(OWN)) return;
    const out = translate(node.nodeValue);
    if (out !== null) node.nodeValue = out;
  }
  function fixElement(el) {
    for (const name of ATTRS) {
      const value = el.getAttribute(name);
      if (value) {
        const out = translate(value);
        if (out !== null) el.setAttribute(name, out);
      }
    }
  }
  function fixTree(root) {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    const walker = document.createTreeWalker(
      root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) fixText(n); else fixElement(n);
    }
  }
  function fixPage() {
    const html = document.documentElement;
    if (html.lang !== "sv") html.lang = "sv";
    const menu = document.querySelector(".st-key-lb_menu");
    if (menu && menu.getAttribute("role") !== "navigation") {
      menu.setAttribute("role", "navigation");
      menu.setAttribute("aria-label", "Sidor");
    }
    for (const a of document.querySelectorAll(".st-key-lb_menu a")) {
      // Streamlit writes the page's own address relative to the app ("" for the start page)
      const target = new URL(a.getAttribute("href") || "./", document.baseURI).pathname;
      const here = target.replace(/\\/$/, "") === location.pathname.replace(/\\/$/, "");
      if (here && a.getAttribute("aria-current") !== "page") a.setAttribute("aria-current", "page");
      if (!here && a.hasAttribute("aria-current")) a.removeAttribute("aria-current");
    }
    // The map library's attribution box says role="list" but holds plain links, no list
    // items (axe: aria-required-children): it is a paragraph of credits, so say so.
    for (const el of document.querySelectorAll('.mapboxgl-ctrl-attrib-inner[role="list"], ' +
        '.maplibregl-ctrl-attrib-inner[role="list"]')) {
      el.removeAttribute("role");
    }
    // A confirmation (st.toast) is drawn as a dialog without a name (axe: aria-dialog-name).
    for (const el of document.querySelectorAll('.stToast[role="dialog"]:not([aria-label]), ' +
        '.stToast[role="alertdialog"]:not([aria-label])')) {
      el.setAttribute("aria-label", "Meddelande");
    }
  }
  window.lagesbildTranslate = translate;
  if (window.lagesbildObserver) return;
  window.lagesbildObserver = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") fixText(m.target);
      else if (m.type === "attributes") { if (m.attributeName !== "lang") fixElement(m.target); }
      else m.addedNodes.forEach(fixTree);
    }
    fixPage();
  });
  window.lagesbildObserver.observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATTRS.concat(["lang"]),
  });
  fixPage();
  fixTree(document.body);
})();
"""

CSS = """
<style>
.st-key-lb_swedish { display: none; }
</style>
"""


def script() -> str:
    return SCRIPT % {
        "exact": json.dumps(EXACT, ensure_ascii=False),
        "names": json.dumps(_names(), ensure_ascii=False),
        "attrs": json.dumps(ATTRIBUTES),
        "months": "|".join(_MONTHS),
        "days": "|".join(_DAYS),
        "patterns": json.dumps(PATTERNS, ensure_ascii=False),
    }


def install() -> None:
    """Draw the script (in a hidden container, so it takes no room) on every run."""
    st.html(CSS)
    with st.container(key="lb_swedish"):
        st.html(f"<script>{script()}</script>", unsafe_allow_javascript=True)
