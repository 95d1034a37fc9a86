"""fmt.md_escape: text someone typed, shown inside Markdown, renders as exactly the characters
typed – never as a link, an image, a heading, a list, a table, code or formatting. Checked
with a real CommonMark parser with GitHub's additions (tables, strikethrough, bare links)."""

import ast
import re
import string
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from lagesbild.fmt import NBSP, WORD_JOINER, md_escape

GFM = MarkdownIt("gfm-like")  # CommonMark + tables + strikethrough + bare links
PLAIN_BLOCKS = {"paragraph_open", "paragraph_close", "inline"}


def rendered_text(markdown: str) -> str:
    """The characters a reader sees; fails on anything that is not plain text."""
    lines = []
    for token in GFM.parse(markdown):
        assert token.type in PLAIN_BLOCKS, (token.type, markdown)
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            assert child.type in {"text", "softbreak", "hardbreak"}, (child.type, markdown)
            parts.append(child.content if child.type == "text" else "\n")
        lines.append("".join(parts))
    return "\n\n".join(lines)


def seen(original: str) -> str:
    """What the reader should see: the text itself (Markdown drops a paragraph's leading and
    trailing blanks, and blank lines only separate paragraphs)."""
    text = original.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = re.split(r"\n[ \t]*\n(?:[ \t]*\n)*", text)
    return "\n\n".join(
        "\n".join(line.strip(" \t") for line in p.split("\n")).strip("\n")
        for p in paragraphs
        if p.strip(" \t\n")
    )


def shown(escaped: str) -> str:
    """What the escaped text renders as, with blanks at the ends of lines dropped (as `seen`
    drops them: they are not visible)."""
    text = rendered_text(escaped).replace(WORD_JOINER, "").replace(NBSP, " ")
    return "\n".join(line.strip(" \t") for line in text.split("\n"))


ATTACKS = [
    "![x](http://evil.example/x.png)",
    "[klicka](http://evil.example)",
    "[klicka][1]\n\n[1]: http://evil.example",
    "<http://evil.example>",
    "<img src=x onerror=alert(1)>",
    "http://evil.example/login",
    "https://evil.example",
    "www.evil.example",
    "kontakta admin@evil.example",
    "# Rubrik",
    "## Rubrik",
    "Rubrik\n===",
    "Rubrik\n---",
    "***",
    "- - -",
    "- punkt",
    "+ punkt",
    "* punkt",
    "1. punkt",
    "1) punkt",
    "> citat",
    "    kodblock",
    "\tkodblock",
    "```\nkod\n```",
    "~~~\nkod\n~~~",
    "`kod`",
    "**fet** __fet__ *kursiv* _kursiv_",
    "~~struken~~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "&amp; &#x5b; &lt;",
    "a\\*b\\_c\\\\",
    "rad ett  \nrad två",
]
# Streamlit's own additions: coloured text, badges, icons and maths (checked in the source,
# which the parser above does not know).
STREAMLIT = [
    ":red[varning]",
    ":blue-badge[Ny]",
    ":help[tips]",
    "$x^2$",
    "$$\nx\n$$",
    ":material/delete: ta bort",
    "glad :smile:",
    "Obs:small",
]


def test_every_markdown_construct_is_shown_as_typed():
    for attack in ATTACKS:
        assert shown(md_escape(attack)) == seen(attack), attack


def test_every_ascii_punctuation_character_alone_and_doubled():
    for char in string.punctuation:
        for text in (char, char * 3, f"a{char}b{char}c", f"{char} a", f"[{char}](x)"):
            assert shown(md_escape(text)) == seen(text), text


def test_streamlits_directives_and_maths_are_escaped():
    for text in STREAMLIT:
        escaped = md_escape(text)
        assert not re.search(r"(?<!\\)[\[\]$]|:[A-Za-z/]", escaped), escaped
        assert escaped.replace(WORD_JOINER, "").replace("\\", "") == text


def test_plain_swedish_text_is_left_alone():
    text = "Klotter på elskåpet vid Solgården, 2026-11-21 kl. 09:00 – ingen skada på fönster."
    assert md_escape(text) == text
    assert md_escape(None) == ""
    assert md_escape(42) == "42"


MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list(string.punctuation + " \t\nabc123åäö@:/.")), max_size=60
)


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH)
@example(" \n\n1")  # a line of blanks stays blank, not an empty paragraph
def test_any_text_is_shown_as_typed(text):
    assert shown(md_escape(text)) == seen(text)


# --- every page passes text through md_escape ---------------------------------------------------

MARKDOWN_CALLS = {
    "markdown", "write", "caption", "info", "warning", "error", "success", "toast", "title",
    "header", "subheader", "metric", "expander", "button", "checkbox", "toggle", "radio",
    "selectbox", "multiselect", "segmented_control", "popover", "tabs", "text_input",
}  # fmt: skip
# Values written into such a call's f-string that no user typed: numbers, the program's own
# labels and sentences, periods worked out from the address (checked before they get here),
# and user names (a–z, 0–9, . _ - only, inside a code span).
PROGRAM_VALUES = {
    "'aktiv' if row['active'] else 'avstängd'", "NOTICE", "RISK_DAYS", "STATUS[current].lower()",
    "_when(last_good['started_at'])", "actor.username", "auth.MIN_PASSWORD_LENGTH",
    "auth.TOKEN_LIFETIME.total_seconds() / 3600", "bucket_label.lower()", "count - 1",
    "counts['control_after']", "counts['control_before']", "counts['treated_after']",
    "counts['treated_before']", "explanation", "i + 1", "imaging.MAX_BYTES // 2 ** 20",
    "imaging.MAX_PHOTOS", "imports.BUILT_IN[source].lower()", "incident['version']", "kinds",
    "labels.OVERDUE_MEANING", "labels.ROLE[Role(actor.role)]",
    "labels.VISIBILITY.get(incident['visibility'], '')", "new_password[1]", "period.name",
    "period.previous_label()", "permissions.EVENT_DENIED", "ref", "report.hotspot_window(s)",
    "report.span(s.window)", "result.verdict", "rule.min_recent", "s.label",
    "s.period.previous_label()", "sentence", "split_label.lower()", "summary.label", "title",
    "today.year", "username", "weeks", "wheel_note", "when",
    "write.read(ctx, mail.outbox_summary)",
}  # fmt: skip


def _unescaped_values(source: str) -> list[tuple[int, str]]:
    """(line, expression) of each value in an f-string handed to a Markdown-reading Streamlit
    call that is neither md_escape'd, a formatter from fmt, nor a known program value."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MARKDOWN_CALLS
            and node.args
        ):
            continue
        for part in ast.walk(node.args[0]):
            if not isinstance(part, ast.FormattedValue):
                continue
            value = part.value
            if isinstance(value, ast.Call):
                called = ast.unparse(value.func)
                if called.endswith("md_escape") or called.startswith("fmt.") or called == "len":
                    continue
            text = ast.unparse(value)
            if text.startswith(("fmt.", "len(")):  # fmt's own names, a count
                continue
            if text not in PROGRAM_VALUES:
                found.append((node.lineno, text))
    return found


def test_pages_write_no_unescaped_value_into_markdown():
    """A guard for the pages' own code: a value that could hold someone's text, put into an
    f-string that Streamlit reads as Markdown, must go through md_escape."""
    root = Path(__file__).resolve().parents[2]
    files = [root / "app.py", *(root / "pages").glob("*.py")]
    files += (root / "src" / "lagesbild" / "ui").glob("*.py")
    found = [
        f"{path.relative_to(root)}:{line}: {value}"
        for path in files
        for line, value in _unescaped_values(path.read_text())
    ]
    assert found == []


def test_the_guard_finds_a_name_written_into_markdown():
    hostile = 'st.caption(f"Ansvarig: {org_names.get(owner)}")\nst.warning(f"”{source}”")'
    assert [v for _, v in _unescaped_values(hostile)] == ["org_names.get(owner)", "source"]
    assert _unescaped_values('st.caption(f"Ansvarig: {md_escape(name)}")') == []
