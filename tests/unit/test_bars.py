"""The meeting's bars since the last meeting against the usual level, drawn as an HTML table:
every figure as Swedish text beside its bar, bars in proportion, names escaped."""

import re

import pandas as pd

from lagesbild.ui import bars


def _table(names, current, usual) -> str:
    return bars.versus_table(
        pd.Series(names), pd.Series(current), pd.Series(usual), name_heading="Kategori"
    )


def test_every_figure_is_text_in_swedish_form_and_the_bars_are_in_proportion():
    out = _table(["Stöld", "Bråk/våld"], [40, 10], [12.25, 20.0])
    rows = re.findall(r"<tr>(.*?)</tr>", out.split("<tbody>")[1])
    assert len(rows) == 2
    assert '<th scope="row">Stöld</th>' in rows[0]
    assert ">40<" in rows[0] and ">12,2<" in rows[0]
    assert ">10<" in rows[1] and ">20,0<" in rows[1]
    widths = [float(w) for w in re.findall(r"width:([\d.]+)%", out)]
    assert widths == [100.0, 30.6, 25.0, 50.0]  # the largest figure fills the track
    # the bars are decoration for a screen reader: the figures are read from the cells
    assert out.count('aria-hidden="true"') == 2
    assert '<th scope="col">Sedan förra mötet</th>' in out and '<th scope="col">Normalt</th>' in out


def test_a_name_someone_typed_is_shown_not_run():
    out = _table(['<img src=x onerror="alert(1)">'], [3], [1.0])
    assert "<img" not in out and "&lt;img src=x" in out


def test_nothing_at_all_draws_empty_bars_not_an_error():
    out = _table(["Brand"], [0], [0.0])
    assert "width:0;" in out and ">0<" in out and ">0,0<" in out


def test_a_static_table_shows_figures_in_swedish_form_right_aligned_and_texts_as_typed():
    df = pd.DataFrame(
        {
            "Område": ["Vellinge tätort", "<b>Höllviken</b>", None],
            "Sedan förra mötet": [1234, 16, 0],
            "Normalt": [29.75, float("nan"), 5.0],
        }
    )
    out = bars.table_html(df)
    head, body = out.split("<tbody>")
    assert '<th scope="col">Område</th>' in head
    assert '<th scope="col" class=lb-n>Normalt</th>' in head
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    assert rows[0] == (
        "<td>Vellinge tätort</td><td class=lb-n>1\xa0234</td><td class=lb-n>29,8</td>"
    )
    assert "&lt;b&gt;Höllviken&lt;/b&gt;" in rows[1] and "<td class=lb-n>–</td>" in rows[1]
    assert rows[2].startswith("<td>–</td>")
