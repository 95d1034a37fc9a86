"""With the database unreachable, an anonymous visitor learns nothing about where it lives."""

import pytest

USER, PASSWORD, HOST, PORT, NAME = "lbanvandare", "hemligt-ord", "127.0.0.1", "1", "forum_nope"


def page_text(at) -> str:
    """Everything the page sends to the browser, element by element."""

    def walk(node) -> list[str]:
        proto = getattr(node, "proto", None)
        found = [str(proto)] if proto is not None else []
        for child in getattr(node, "children", {}).values():
            found += walk(child)
        return found

    return "\n".join(walk(at._tree))


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}",
        f"oracle+nosuchdriver://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}",
    ],
)
def test_the_database_address_is_never_shown(make_app, url):
    app = make_app(url).run()
    assert not app.exception
    shown = page_text(app)
    assert "databas" in app.error[0].value.lower()  # a Swedish message is shown …
    for part in (USER, PASSWORD, HOST, f"{HOST}:{PORT}", NAME, "postgresql", "oracle"):
        assert part not in shown  # … without any part of the address
