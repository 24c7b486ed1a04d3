"""The dashboard's renderers: the seeded numbers in every chart and in the table beside it, in Dutch notation."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from adapters.web.dashboard import notation
from adapters.web.dashboard.charts import LOOKS
from adapters.web.dashboard.render import render_dashboard, render_notice
from adapters.web.dashboard.view import DashboardView, OrganisationCommitment, Round, SocialMap, ViewError
from tests.dashboard_seed import seeded_view

GOLDEN = Path(__file__).parent.parent / "golden" / "dashboard.html"


class Figures(HTMLParser):
    """The text of each <figure>'s chart (inside <svg>) and the rows of its table, by the figure's id."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.figure: str | None = None
        self.in_svg = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "figure":
            self.figure = attributes["id"]
            self.charts[self.figure], self.tables[self.figure] = [], []
        elif tag == "svg":
            self.in_svg += 1
        elif tag == "tr" and self.figure:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "figure":
            self.figure = None
        elif tag == "svg":
            self.in_svg -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.figure].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.figure and self.in_svg:
            self.charts[self.figure].append(data)
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def page() -> str:
    return render_dashboard(seeded_view())


@pytest.fixture(scope="module")
def figures(page) -> Figures:
    parsed = Figures()
    parsed.feed(page)
    return parsed


def chart_text(figures: Figures, figure_id: str) -> str:
    return " | ".join(figures.charts[figure_id])


def test_response_per_round_in_the_bars_and_the_table(figures):
    assert "75% (9 van 12)" in chart_text(figures, "fig-response")
    assert "85% (11 van 13)" in chart_text(figures, "fig-response")
    assert figures.tables["fig-response"] == [
        ["Ronde", "Gevraagd", "Geantwoord", "Respons"],
        ["7 september 2026", "12", "9", "75%"],
        ["5 oktober 2026", "12", "10", "83%"],
        ["2 november 2026", "12", "8", "67%"],
        ["30 november 2026", "13", "11", "85%"],
    ]


def test_goal_answers_per_round_name_every_number(figures):
    chart = chart_text(figures, "fig-goal")
    assert "ja 6 · twijfel 3 · nee 1" in chart and "ja 5 · twijfel 1 · nee 2" in chart
    assert ["ja", "twijfel", "nee"] == [
        text for text in figures.charts["fig-goal"] if text in ("ja", "twijfel", "nee")
    ]
    assert figures.tables["fig-goal"][1:3] == [
        ["7 september 2026", "7", "2", "0"],
        ["5 oktober 2026", "6", "3", "1"],
    ]


def test_commitment_per_organisation_with_decimal_commas(figures):
    chart = chart_text(figures, "fig-commitment")
    # 3.25 is rounded half up, as people do, and written with a comma.
    assert "3,3" in chart and "4,8" in chart and "2,5" in chart
    assert figures.tables["fig-commitment"] == [
        ["Organisatie", "7-9-2026", "5-10-2026", "2-11-2026", "30-11-2026"],
        ["Gemeente Zeist", "4,0", "3,5", "3,3", "3,8"],
        ["Schuldhulp Utrecht", "3,0", "–", "2,0", "2,5"],
        ["Woningcorporatie Mooiland", "4,5", "4,5", "5,0", "4,8"],
    ]


def test_a_round_without_an_answer_breaks_the_line(page):
    utrecht = re.search(r'<svg[^>]*aria-labelledby="commitment-1-title[^"]*".*?</svg>', page).group(0)
    assert utrecht.count("<circle") == 3
    assert utrecht.count("<polyline") == 1  # only the last two rounds are joined


def test_needs_social_map_and_questions(figures, page):
    assert "6" in figures.charts["fig-needs"] and "Gebrek aan vertrouwen" in figures.charts["fig-needs"]
    assert ["Gebrek aan vertrouwen", "6"] in figures.tables["fig-needs"]
    assert "5 oktober 2026 tot en met 30 november 2026" in page
    assert ["schuldhulp", "17"] in figures.tables["fig-topic"] and "17" in figures.charts["fig-topic"]
    assert ["Amersfoort", "8"] in figures.tables["fig-region"] and "Amersfoort" in figures.charts[
        "fig-region"
    ]
    assert "<dd>48</dd>" in page and "<dd>7 (15%)</dd>" in page
    assert "Slack 1.120 · Teams 96 · Webchat 18" in chart_text(figures, "fig-questions")
    assert ["week 48 van 2026", "1.120", "96", "18", "1.234"] in figures.tables["fig-questions"]


def test_warnings_advice_and_milestones(page):
    assert "<td>slack:U0SCHULD</td><td>twijfel over het doel en commitment 2</td>" in page
    assert "Advies bij ‘Vroege signalen’:" in page and "<li>Bespreek het doel opnieuw</li>" in page
    assert (
        "Bereikt op 12 oktober 2026; gevierd op 13 oktober 2026; 12 van 14 felicitaties afgeleverd." in page
    )
    assert "Bereikt op 20 november 2026; nog niet gevierd." in page
    assert "Nog niet bereikt; nog niet gevierd." in page


def test_the_page_says_when_it_was_made_in_dutch_local_time(page):
    assert "Bijgewerkt op 3 december 2026 om 10:30." in page  # 9:30 UTC is 10:30 in Amsterdam in winter


def test_no_number_is_written_with_a_decimal_point(page):
    text = re.sub(r"<[^>]+>", " ", page)
    assert re.findall(r"\b\d+\.\d{1,2}\b(?!\d)", text) == []


def test_every_chart_is_an_image_with_a_name_and_a_table_beside_it(page, figures):
    charts = re.findall(r"<svg[^>]*>", page)
    assert len(charts) == 3 + 6  # three small line charts and six bar charts
    for tag in charts:
        labelled = re.search(r'aria-labelledby="([^ "]+) ([^"]+)"', tag)
        assert 'role="img"' in tag and labelled
        assert f'<title id="{labelled.group(1)}">' in page and f'<desc id="{labelled.group(2)}">' in page
    # Seven figures (commitment, response, goal, needs, topics, regions, questions), each a chart and a table.
    assert len(figures.tables) == 7
    assert all(figures.charts[name] and len(rows) > 1 for name, rows in figures.tables.items())


def test_the_page_keeps_to_the_content_security_policy(page):
    assert "style=" not in page and "<style" not in page
    assert "<script" not in page
    assert re.findall(r'(?:href|src)="([^"#]+)"', page) == ["/dashboard.css"]


def test_stacked_series_differ_by_pattern_not_only_colour(page):
    goal = re.search(r'<svg[^>]*aria-labelledby="chart-goal-title.*?</svg>', page).group(0)
    fills = set(re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="14" fill="([^"]+)"', goal))
    assert fills == {LOOKS[0].colour, "url(#chart-goal-p1)", "url(#chart-goal-p2)"}
    assert 'id="chart-goal-p1"' in goal and 'id="chart-goal-p2"' in goal


def contrast(colour: str, background: str = "#ffffff") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_series_colours_stand_out_on_white():
    assert all(contrast(look.colour) >= 4.5 for look in LOOKS)
    assert len({look.pattern for look in LOOKS}) == len(LOOKS)


def test_names_typed_by_partners_are_text_in_the_chart_and_the_table():
    view = seeded_view()
    view = replace(
        view, commitment=(OrganisationCommitment("<script>alert(1)</script>", (3.0, 3.0, 3.0, 3.0)),)
    )
    page = render_dashboard(view)
    assert "<script>" not in page
    # The small chart's title and description, its visible name, and the table's row.
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3


def test_an_empty_dashboard_says_so_in_dutch():
    page = render_dashboard(DashboardView(generated_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC)))
    assert page.count("Er zijn nog geen check-ins gehouden.") == 3  # commitment, response, needs
    for text in (
        "Geen vroege signalen.",
        "Er staat nog niemand op de sociale kaart.",
        "Er zijn nog geen vragen gesteld.",
        "Er zijn nog geen mijlpalen.",
    ):
        assert text in page
    assert "<svg" not in page


def test_a_round_that_asked_nobody_has_no_rate():
    view = DashboardView(
        generated_at=datetime(2026, 12, 3, tzinfo=UTC), rounds=(Round(date(2026, 12, 1), sent=0, answered=0),)
    )
    page = render_dashboard(view)
    assert "niemand gevraagd" in page and "<td>–</td>" in page


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (
            lambda v: replace(v, commitment=(OrganisationCommitment("Zeist", (3.0,)),)),
            "1 averages for 4 rounds",
        ),
        (
            lambda v: replace(v, commitment=(OrganisationCommitment("Zeist", (6.0, 3.0, 3.0, 3.0)),)),
            "outside 1-5",
        ),
        (lambda v: replace(v, social_map=SocialMap(partners=3, stale=4)), "4 stale entries of 3"),
        (lambda v: replace(v, rounds=(Round(date(2026, 1, 5), sent=3, answered=4),)), "answered 4 of 3"),
    ],
)
def test_a_view_that_does_not_hold_together_is_refused(make, problem):
    with pytest.raises(ViewError, match=problem):
        make(seeded_view())


@pytest.mark.parametrize(
    ("value", "written"),
    [(3.25, "3,3"), (2.0, "2,0"), (4.75, "4,8"), (0.05, "0,1"), (1234.5, "1.234,5")],
)
def test_decimal_comma(value, written):
    assert notation.decimal(value) == written


def test_dutch_notation():
    assert notation.whole_number(10000) == "10.000"
    assert notation.percent(5 / 6) == "83%"
    assert notation.percent(0.125) == "13%"
    assert notation.day(date(2026, 12, 3)) == "3 december 2026"
    assert notation.short_day(date(2026, 12, 3)) == "3-12-2026"
    assert notation.week(date(2026, 11, 23)) == "week 48 van 2026"
    assert notation.moment(datetime(2026, 7, 1, 7, 5, tzinfo=UTC)) == "1 juli 2026 om 9:05"


@pytest.mark.parametrize("kind", ["no_session", "link_refused", "not_director", "other_site", "signed_out"])
def test_notice_pages_are_dutch_and_only_the_login_page_has_a_script(kind):
    page = render_notice(kind, opener=kind == "no_session")
    assert '<html lang="nl">' in page and "<h1>" in page
    assert ('<script src="/dashboard.js" defer></script>' in page) == (kind == "no_session")
    assert "style=" not in page


def test_golden_page(page):
    """The whole seeded page, as reviewed; KETENBOT_UPDATE_GOLDEN=1 rewrites tests/golden/dashboard.html."""
    if os.environ.get("KETENBOT_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")
