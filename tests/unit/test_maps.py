"""The map layers: land and sea without tiles, names on the map, the legend and framing."""

import json
import re
from urllib.parse import unquote

import pandas as pd
import pydeck as pdk
import pytest

from lagesbild import geo, reference
from lagesbild.municipalities import boundary as municipality_boundary
from lagesbild.ui import maps, position
from lagesbild.ui.maps import legend

BOUNDARY = municipality_boundary("Vellinge")
AREAS = pd.DataFrame(
    {
        "id": [1, 2],
        "name": ["Höllviken", "Skanör"],
        "geojson": [
            {
                "type": "Polygon",
                "coordinates": [
                    [[12.94, 55.41], [12.97, 55.41], [12.97, 55.43], [12.94, 55.43], [12.94, 55.41]]
                ],
            },
            None,
        ],
        "active": [True, True],
    }
)
PLACES = pd.DataFrame(
    {
        "id": [1, 2, 3],
        "name": ["Vellinge busstation", "Kämpinge strand", "Okänd"],
        "area": ["Vellinge tätort", "Höllviken", None],
        "lat": [55.4702, 55.4035, None],
        "lon": [13.0178, 12.9881, None],
        "active": [True, True, True],
    }
)


def _names(layer) -> list[str]:
    return [row["name"] for row in layer.data]


def _style(kwargs: dict) -> dict:
    assert kwargs["map_style"].startswith("data:application/json,")
    return json.loads(unquote(kwargs["map_style"].split(",", 1)[1]))


@pytest.mark.parametrize("setting", ["carto-positron", "none", "https://k.se/{z}/{x}/{y}.png"])
def test_land_and_sea_are_drawn_under_the_tiles_without_any_network(setting):
    style = _style(maps.basemap(setting, BOUNDARY))
    ids = [layer["id"] for layer in style["layers"]]
    assert ids[:2] == ["hav", "land"]  # sea, then the municipality filled as land
    assert style["sources"]["kommun"]["data"] == BOUNDARY
    assert style["layers"][0]["paint"]["background-color"] == maps.SEA
    if setting == "none":
        assert ids == ["hav", "land"]
    else:
        assert ids[-1] == "tiles"  # tiles that load cover land and sea
        assert "{z}" in style["sources"]["tiles"]["tiles"][0]


def test_a_style_url_is_used_as_it_is():
    assert maps.basemap("https://k.se/style.json", BOUNDARY)["map_style"] == (
        "https://k.se/style.json"
    )


def test_areas_and_places_are_named_on_the_map():
    layers = maps.names(AREAS, PLACES, {"Kämpinge strand": 12})
    by_id = {layer.id: layer for layer in layers}
    assert by_id["omradesnamn"].type == "TextLayer"
    assert _names(by_id["omradesnamn"]) == ["Höllviken"]  # no outline, no label
    assert _names(by_id["platsnamn"]) == ["Kämpinge strand"]  # always shown
    assert _names(by_id["platsnamn_nara"]) == ["Vellinge busstation"]
    near = json.loads(pdk.Deck(layers=[by_id["platsnamn_nara"]]).to_json())["layers"][0]
    assert near["sizeUnits"] == "meters" and near["characterSet"] == "auto"
    lat, _ = geo.centroid(AREAS.geojson[0])
    assert by_id["omradesnamn"].data[0]["lat"] == pytest.approx(lat)


def test_hot_spots_carry_their_names_and_are_not_named_twice():
    spots = pd.DataFrame(
        {
            "name": ["Vellinge busstation"],
            "lat": [55.47],
            "lon": [13.02],
            "ratio": [3.2],
            "status": ["Eskalerande"],
            "recent": [12],
            "certainty": ["Mycket säker"],
        }
    )
    layers = maps.hotspot_layer(spots)
    assert _names(layers[-1]) == ["Vellinge busstation"]
    names = {layer.id: layer for layer in maps.names(AREAS, PLACES, skip={"Vellinge busstation"})}
    assert "Vellinge busstation" not in set(_names(names["platsnamn_nara"]))


def test_the_legend_lists_every_key_and_escapes_text():
    html = maps.legend_html(
        [*maps.BASE_KEYS, maps.Key("●", "#C0392B", "<b>Klotter</b>")], "Not & mer"
    )
    assert "Teckenförklaring" in html and "kommungräns" in html and "område" in html
    assert "&lt;b&gt;Klotter&lt;/<wbr>b&gt;" in html and "<b>" not in html
    assert "color:#C0392B" in html and "Not &amp; mer" in html
    assert maps.group_keys(pd.DataFrame({"name": ["Skadegörelse"], "colour": ["#C0392B"]})) == [
        maps.Key("●", "#C0392B", "Skadegörelse")
    ]


def test_a_legend_line_breaks_between_words_never_inside_one():
    """Every shipped group and category name fits the legend's width word by word; a name
    joined by a slash breaks after the slash, not inside "ordningsstörande"."""
    names = [
        name
        for group in reference.load_json("categories.json")["groups"]
        for name in [group["name"], *group["categories"]]
    ]
    for name in names:
        assert all(len(word) <= maps.LEGEND_CHARS for word in legend.words(name)), name
    html = maps.legend_html([maps.Key("■", "#000", "Annat otrygghetsskapande/ordningsstörande")])
    assert "otrygghetsskapande/<wbr>ordningsstörande" in html
    assert "anywhere" not in maps.legend_css("k") and "hyphens: manual" in maps.legend_css("k")
    # the room kept for it counts the second line the slash starts
    one = maps.legend_size([maps.Key("■", "#000", "Skadegörelse")])
    two = maps.legend_size([maps.Key("■", "#000", "Annat otrygghetsskapande/ordningsstörande")])
    assert two[1] - one[1] == maps.LEGEND_LINE


@pytest.mark.parametrize(
    ("width", "height", "legend"),
    [(1000, 640, (0, 0)), (760, 520, (212, 160)), (600, 360, (0, 0)), (500, 700, (212, 160))],
)
def test_the_view_frames_the_whole_municipality_with_a_margin(width, height, legend):
    box = geo.bbox(BOUNDARY)
    view = maps.view_for(box, width, height, legend=legend)
    left, bottom, right, top = maps.pixel_extent(view, box)
    # the box is framed right of the legend or below it, with the margin in what is left
    beside = left >= -width / 2 + legend[0] - 1
    below = top <= height / 2 - legend[1] + 1
    assert beside or below
    room_w = width - (legend[0] if beside else 0)
    room_h = height - (legend[1] if below and not beside else 0)
    x0 = -width / 2 + (legend[0] if beside else 0)
    y1 = height / 2 - (legend[1] if below and not beside else 0)
    free = maps.MARGIN * 0.99
    assert left >= x0 + free * room_w - 1 and right <= width / 2 - free * room_w + 1
    assert bottom >= -height / 2 + free * room_h - 1 and top <= y1 - free * room_h + 1
    # and it is not needlessly small: one of the sides touches its margin
    assert max(
        right - left - room_w * (1 - 2 * maps.MARGIN),
        top - bottom - room_h * (1 - 2 * maps.MARGIN),
    ) == pytest.approx(0, abs=1)


def test_the_meeting_map_keeps_its_legend_a_small_box_in_the_corner():
    """The legend of the meeting's map (every key the meeting can show) takes a corner, not
    a third of the map, and the municipality is framed clear of it."""
    groups = pd.DataFrame(
        {
            "name": [
                "Skadegörelse",
                "Otrygghetsskapande samling av personer",
                "Annat otrygghetsskapande/ordningsstörande",
                "Otrygg plats",
                "Arrangemang",
            ],
            "colour": ["#C0392B"] * 5,
        }
    )
    keys = [*maps.BASE_KEYS, maps.HOTSPOT_KEY, *maps.group_keys(groups)]
    width, height = 760, 520
    legend_w, legend_h = maps.legend_size(keys)
    assert legend_w <= 0.3 * width and legend_h <= 0.45 * height
    assert legend_w * legend_h <= width * height / 8  # an eighth of the map at most
    css = maps.legend_css("mote_map")
    assert f"left: {maps.LEGEND_INSET}px; top: {maps.LEGEND_INSET}px" in css  # upper left
    assert f"max-width: {maps.LEGEND_W}px" in css and f"font-size: {maps.LEGEND_FONT}px" in css
    assert legend_w >= maps.LEGEND_INSET + maps.LEGEND_W
    box = geo.bbox(BOUNDARY)
    view = maps.view_for(box, width, height, legend=(legend_w, legend_h))
    left, _, _, top = maps.pixel_extent(view, box)
    # nothing framed under the legend's rectangle (upper left corner, y up from the centre)
    assert left >= -width / 2 + legend_w - 1 or top <= height / 2 - legend_h + 1
    # and the municipality is drawn larger than with the old legend strip of 300 px
    old = maps.view_for(box, width, height, legend=(300, height))
    assert view.zoom > old.zoom


def test_search_offers_places_and_areas_with_a_position():
    found = maps.targets(PLACES, AREAS)
    assert list(found) == [
        "Kämpinge strand (Höllviken)",
        "Vellinge busstation (Vellinge tätort)",
        "Höllviken (område)",
    ]
    stop = found["Vellinge busstation (Vellinge tätort)"]
    assert (stop.lat, stop.lon) == (55.4702, 13.0178)
    assert stop.box[0] < 13.0178 < stop.box[2] and stop.box[1] < 55.4702 < stop.box[3]
    assert found["Höllviken (område)"].box == geo.bbox(AREAS.geojson[0])


def test_every_shipped_boundary_can_be_drawn():
    from lagesbild import municipalities

    for municipality in municipalities.all_municipalities():
        boundary = municipality_boundary(municipality.code)
        assert _style(maps.basemap("none", boundary))["sources"], municipality


def test_a_phone_position_inside_the_municipality_is_used_with_its_accuracy():
    fix = position.judge(
        {"kind": "position", "lat": 55.470213, "lon": 13.017846, "accuracy": 12.4},
        BOUNDARY,
        "Vellinge",
    )
    assert fix.ok and (fix.lat, fix.lon) == (55.47021, 13.01785)
    assert "ungefär 12 meter" in fix.message


def test_a_phone_position_outside_the_municipality_is_refused_in_swedish():
    fix = position.judge(
        {"kind": "position", "lat": 55.6050, "lon": 13.0038, "accuracy": 8}, BOUNDARY, "Vellinge"
    )
    assert not fix.ok and fix.lat is None
    assert "utanför Vellinge kommun" in fix.message and "55,605" in fix.message


def test_a_denied_or_failed_position_says_what_to_do():
    denied = position.judge({"kind": "error", "code": position.DENIED}, BOUNDARY, "Vellinge")
    assert not denied.ok and "inte gett webbläsaren lov" in denied.message
    failed = position.judge({"kind": "error", "code": 3}, BOUNDARY, "Vellinge")
    assert not failed.ok and "gick inte att hämta" in failed.message
    assert position.judge(None, BOUNDARY, "Vellinge") is None


def test_names_always_shown_keep_their_distance():
    places = pd.DataFrame(
        {
            "name": ["Torget", "Busstationen", "Hamnen"],
            "lat": [55.4716, 55.4702, 55.4050],  # the first two 160 m apart
            "lon": [13.0194, 13.0178, 12.9500],
        }
    )
    layers = {
        layer.id: layer
        for layer in maps.place_labels(places, {"Torget": 3, "Busstationen": 9, "Hamnen": 1})
    }
    assert _names(layers["platsnamn"]) == ["Busstationen", "Hamnen"]
    assert _names(layers["platsnamn_nara"]) == ["Torget"]  # readable once zoomed in


def test_the_land_is_also_drawn_by_deck_under_every_layer():
    without = maps.deck([], maps.view_for(geo.bbox(BOUNDARY)), "none", BOUNDARY)
    assert without.layers[0].id == "land" and without.layers[0].get_fill_color[3] == 255
    tiles = maps.deck([], maps.view_for(geo.bbox(BOUNDARY)), "carto-positron", BOUNDARY)
    assert 0 < tiles.layers[0].get_fill_color[3] < 255  # tiles still show through
    assert maps.deck([], maps.view_for(None), "https://k.se/style.json", BOUNDARY).layers == []


POINTS = pd.DataFrame(
    {
        "id": [11, 12],
        "lat": [55.4702, 55.4035],
        "lon": [13.0178, 12.9881],
        "occurred_at": pd.to_datetime(["2026-11-21 18:00", "2026-11-20 09:30"]),
        "category": ["Klotter", "Glaskross"],
        "group": ["Skadegörelse", "Skadegörelse"],
        "colour": ["#F03B20", "#F03B20"],
        "place": ["Vellinge busstation", None],
        "organisation": ["VB", "Polisen"],
        "count": [1, 2],
    }
)


def test_a_point_with_a_photo_carries_its_picture_to_the_tooltip():
    url = "data:image/jpeg;base64,AAAA"
    [layer] = maps.point_layer(POINTS, {11: url, 99: "data:image/jpeg;base64,BBBB"})
    assert [row["photo"] for row in layer.data] == [url, ""]
    assert layer.data[1]["tooltip"].startswith("Glaskross (Skadegörelse)\nPunkt på kartan")
    [plain] = maps.point_layer(POINTS)
    assert [row["photo"] for row in plain.data] == ["", ""]


def test_every_hoverable_object_fills_the_whole_tooltip_template():
    """The template's fields are all filled (a missing one would be shown as its name, and
    "{photo}" fetched as a picture's address); the text stays a field, escaped by Streamlit."""
    template = maps.TOOLTIP["html"]
    assert set(re.findall(r"{(.*?)}", template)) == {"tooltip", "photo"}
    assert 'src="{photo}"' in template and ">{tooltip}<" in template
    counts = {1: 3}
    the_deck = maps.deck(
        maps.area_layer(AREAS, counts)
        + maps.point_layer(POINTS, {12: "data:image/jpeg;base64,AAAA"})
        + maps.place_dots(PLACES)
        + maps.names(AREAS, PLACES, {})
        + maps.searched_layer(
            maps.Target("Plats", "Kämpinge strand", 55.4035, 12.9881, (55.40, 12.98, 55.41, 12.99))
        ),
        maps.view_for(geo.bbox(BOUNDARY)),
        "none",
        BOUNDARY,
    )
    hoverable = [layer for layer in the_deck.layers if getattr(layer, "pickable", False)]
    assert {layer.id for layer in hoverable} >= {"omraden", "handelser", "platser", "sokt"}
    for layer in hoverable:
        data = layer.data
        rows = [f["properties"] for f in data["features"]] if isinstance(data, dict) else data
        assert rows and all({"tooltip", "photo"} <= set(row) for row in rows), layer.id


# Places in Vellinge tätort, a few hundred metres apart: at the meeting's view their names
# would lie on top of each other.
TOWN = pd.DataFrame(
    {
        "name": [
            "Vellinge busstation",
            "Solgården",
            "Vellinge centrum",
            "Vellinge kyrka",
            "Idrottsplatsen",
            "Kämpinge strand",
        ],
        "lat": [55.4702, 55.4735, 55.4716, 55.4722, 55.4660, 55.4035],
        "lon": [13.0178, 13.0240, 13.0194, 13.0160, 13.0300, 12.9881],
    }
)


def _meeting_view():
    return maps.view_for(geo.bbox(BOUNDARY), 760, 520, legend=(212, 160))


def _all_labels(layers, view) -> list[maps.Label]:
    """Every name drawn by fixed-size text layers, as the boxes they take on screen."""
    sizes = {"platsnamn": (14, -14), "hotspotnamn": (15, 26)}
    found = []
    for layer in layers:
        if layer.type != "TextLayer" or layer.id == "platsnamn_nara":
            continue
        size, dy = sizes.get(layer.id, (15, layer.get_pixel_offset[1]))
        for row in layer.data:
            found.append(maps.Label(row["name"], row["lat"], row["lon"], size, dy, True))
    return found


def test_names_that_would_overlap_at_the_view_are_thinned_by_importance():
    view = _meeting_view()
    spots = pd.DataFrame(
        {
            "name": ["Solgården", "Vellinge busstation"],
            "lat": [55.4735, 55.4702],
            "lon": [13.0240, 13.0178],
            "ratio": [2.6, 2.2],
            "status": ["Eskalerande"] * 2,
            "recent": [24, 28],
            "certainty": ["Mycket säker"] * 2,
        }
    )
    town_area = pd.DataFrame(
        {
            "id": [3],
            "name": ["Vellinge tätort"],
            "geojson": [
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[13.00, 55.46], [13.04, 55.46], [13.04, 55.48], [13.00, 55.48],
                         [13.00, 55.46]]
                    ],
                }
            ],
        }
    )  # fmt: skip
    counts = {"Vellinge centrum": 9, "Vellinge kyrka": 7, "Idrottsplatsen": 5, "Kämpinge strand": 3}
    layers = maps.hotspot_layer(spots, view) + maps.names(
        town_area, TOWN, counts, skip=set(spots["name"]), view=view, hotspots=spots
    )
    drawn = _all_labels(layers, view)
    boxes = [label.box(view) for label in drawn]
    for i, a in enumerate(boxes):  # no two names drawn at a fixed size overlap
        for b in boxes[i + 1 :]:
            assert not maps._overlap(a, b, 0), (a, b)
    names = [label.name for label in drawn]
    # the strongest hot spot keeps its name; its neighbour only a ring (the table names it)
    assert "Solgården" in names and "Vellinge busstation" not in names
    assert "Vellinge tätort" in names  # the area's name is kept (moved if need be)
    assert "Kämpinge strand" in names  # far away: room for it
    # of the town's places, the most reported fits; the rest wait for a zoom
    near = next(layer for layer in layers if layer.id == "platsnamn_nara")
    assert {"Vellinge kyrka", "Idrottsplatsen"} <= set(_names(near))
    # without a view the old rule holds (names at least SPACING_M apart)
    plain = {layer.id: layer for layer in maps.place_labels(TOWN, counts)}
    assert _names(plain["platsnamn"]) == ["Vellinge centrum", "Kämpinge strand"]


def test_a_label_box_grows_with_its_text_and_moves_with_the_view():
    view = _meeting_view()
    short = maps.Label("Ö", 55.47, 13.02, 14, 0).box(view)
    long = maps.Label("Vellinge busstation", 55.47, 13.02, 14, 0).box(view)
    assert long[2] - long[0] > 10 * (short[2] - short[0])
    assert long[1] == short[1] and long[3] - long[1] == pytest.approx(14 * 1.3)
    lower = maps.Label("Vellinge busstation", 55.47, 13.02, 14, 20).box(view)
    assert lower[1] == pytest.approx(long[1] + 20)
    closer = pdk.ViewState(latitude=view.latitude, longitude=view.longitude, zoom=view.zoom + 3)
    a = maps.Label("A", 55.470, 13.02, 14, 0)
    b = maps.Label("B", 55.4715, 13.02, 14, 0)  # 170 m north
    assert maps.thin([a, b], view)[0] == [a]  # one name at the meeting's zoom
    assert maps.thin([a, b], closer)[0] == [a, b]  # both, zoomed in
