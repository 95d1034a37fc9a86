"""The privacy guard: personal data is caught, ordinary text and numbers pass."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lagesbild import privacy


def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def valid_pnr(yymmdd: str, three: str) -> str:
    return f"{yymmdd}-{three}{luhn_digit(yymmdd + three)}"


@pytest.mark.parametrize(
    "text",
    [
        "Tolvan 19121212-1212 var där",
        "pnr 121212-1212",
        "121212+1212",  # over 100 years old
        "191212121212",
        valid_pnr("811218", "987"),
        valid_pnr("701063", "239"),  # samordningsnummer: day + 60
        valid_pnr("000229", "123"),  # 29 February 2000
    ],
)
def test_valid_personal_identity_numbers_are_caught(text):
    kinds = [f.kind for f in privacy.find(text)]
    assert kinds == [privacy.PERSONNUMMER]


@pytest.mark.parametrize(
    "text",
    [
        "121212-1213",  # wrong checksum
        "811318-9876",  # month 13
        "Klotter 2026-11-21 kl. 21.30, 12 personer",
        "Ca 150 meter från busstationen, 3 st papperskorgar",
        "Postnummer 235 31, Storgatan 12",
        "Ärende 20261121-0042 hos teknik",  # a case number that fails the checksum
        "Trygghetsvandring 18:30–20:00 i Höllviken",
        "LED 100 W armatur byttes",
        "Vellinge centrum, Skanörs hamn och Falsterbo strandbad",
    ],
)
def test_ordinary_text_and_numbers_pass(text):
    assert privacy.find(text) == []


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("ring 070-123 45 67 om du ser något", privacy.PHONE, "070-123 45 67"),
        ("tel +46 70 123 45 67", privacy.PHONE, "+46 70 123 45 67"),
        ("växel 040-42 50 00", privacy.PHONE, "040-42 50 00"),
        ("mejla anna.svensson@vellinge.se", privacy.EMAIL, "anna.svensson@vellinge.se"),
        ("bilen ABC 123 stod kvar", privacy.PLATE, "ABC 123"),
        ("ny skylt MLB 12X", privacy.PLATE, "MLB 12X"),
        ("Anna Svensson var där igen", privacy.NAME, "Anna Svensson"),
        ("sågs med Kalle Andersson", privacy.NAME, "Kalle Andersson"),
    ],
)
def test_contact_details_plates_and_names_are_caught(text, kind, found):
    findings = privacy.find(text)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]
    assert found in privacy.describe(findings)


@given(st.integers(min_value=0, max_value=10**10 - 1))
def test_random_ten_digit_numbers_are_flagged_only_when_they_are_valid(number):
    text = f"{number:010d}"
    flagged = any(f.kind == privacy.PERSONNUMMER for f in privacy.find(f"nr {text}"))
    assert flagged == privacy.is_personnummer(text)


def test_roughly_one_in_ten_dates_with_a_serial_passes_the_checksum():
    rng = random.Random(7)
    candidates = [
        f"8{rng.randint(0, 9)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}-"
        f"{rng.randint(0, 9999):04d}"
        for _ in range(2000)
    ]
    share = sum(privacy.is_personnummer(c) for c in candidates) / len(candidates)
    assert 0.07 < share < 0.13  # the checksum is what separates numbers from identities
