"""fmt.md_escape: text someone typed, shown inside Markdown, renders as exactly the characters
typed – never as a link, an image, a heading, a list, a table, code or formatting. Checked
with a real CommonMark parser with GitHub's additions (tables, strikethrough, bare links)."""

import re
import string

from hypothesis import given, settings
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
def test_any_text_is_shown_as_typed(text):
    assert shown(md_escape(text)) == seen(text)
