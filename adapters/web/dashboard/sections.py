"""The dashboard's sections, each a pure function of the view: a heading, a chart with its table, or a short
Dutch sentence when there is nothing to show yet."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.web.dashboard import notation
from adapters.web.dashboard.charts import Bar, bar_chart, line_chart
from adapters.web.dashboard.markup import esc, figure, paragraph, section, table
from adapters.web.dashboard.texts import (
    COMMITMENT,
    FIGURE,
    GOAL,
    HEADINGS,
    MELDINGEN,
    MILESTONES,
    NEEDS,
    NO_ROUNDS,
    PLATFORMS,
    QUESTIONS,
    RESPONSE,
    SOCIAL_MAP,
    WARNINGS,
)
from adapters.web.dashboard.view import (
    COMMITMENT_MAX,
    COMMITMENT_MIN,
    Count,
    DashboardView,
    Milestone,
    OrganisationCommitment,
    Round,
)

TICKS = ((1, "1"), (3, "3"), (5, "5"))


def _average(value: float | None) -> str:
    return FIGURE["none"] if value is None else notation.decimal(value)


def _items(names: Sequence[str], counts: Sequence[int]) -> str:
    """Every number named ("ja 8 · twijfel 2 · nee 1"), so a stacked bar never needs its legend to be read."""
    return FIGURE["join"].join(
        FIGURE["item"].format(name=name, count=notation.whole_number(count))
        for name, count in zip(names, counts, strict=True)
    )


def _organisation(index: int, line: OrganisationCommitment, rounds: tuple[Round, ...]) -> str:
    answered = [value for value in line.averages if value is not None]
    title = COMMITMENT["chart_title"].format(organisation=line.organisation)
    description = COMMITMENT["chart_description"].format(
        organisation=line.organisation,
        answered=len(answered),
        rounds=len(rounds),
        first=_average(answered[0] if answered else None),
        last=_average(answered[-1] if answered else None),
    )
    chart = line_chart(
        line.averages,
        [_average(value) for value in line.averages],
        chart_id=f"commitment-{index}",
        title=title,
        description=description,
        low=COMMITMENT_MIN,
        high=COMMITMENT_MAX,
        ticks=TICKS,
        first=notation.short_day(rounds[0].due_on),
        last=notation.short_day(rounds[-1].due_on),
    )
    return f'<li><p class="multiple-title">{esc(line.organisation)}</p>{chart}</li>'


def commitment(view: DashboardView) -> str:
    if not view.rounds:
        body = paragraph(NO_ROUNDS)
    elif not view.commitment:
        body = paragraph(COMMITMENT["no_answers"])
    else:
        charts = "".join(
            _organisation(index, line, view.rounds) for index, line in enumerate(view.commitment)
        )
        head = [COMMITMENT["organisation"], *(notation.short_day(r.due_on) for r in view.rounds)]
        rows = [[line.organisation, *map(_average, line.averages)] for line in view.commitment]
        body = paragraph(COMMITMENT["intro"]) + figure(
            "fig-commitment", COMMITMENT["caption"], f'<ul class="multiples">{charts}</ul>', head, rows
        )
    return section("commitment", HEADINGS["commitment"], body)


def _response_note(r: Round) -> str:
    if r.response_rate is None:
        return RESPONSE["nobody"]
    return RESPONSE["note"].format(
        percent=notation.percent(r.response_rate),
        answered=notation.whole_number(r.answered),
        sent=notation.whole_number(r.sent),
    )


def response(view: DashboardView) -> str:
    if not view.rounds:
        return section("respons", HEADINGS["respons"], paragraph(NO_ROUNDS))
    days = [notation.day(r.due_on) for r in view.rounds]
    rates = bar_chart(
        [
            Bar(day, (r.response_rate or 0.0,), _response_note(r))
            for day, r in zip(days, view.rounds, strict=True)
        ],
        chart_id="chart-response",
        title=RESPONSE["caption"],
        description=RESPONSE["chart_description"].format(first=days[0], last=days[-1]),
        scale=1.0,
    )
    rate_rows = [
        [
            day,
            notation.whole_number(r.sent),
            notation.whole_number(r.answered),
            FIGURE["none"] if r.response_rate is None else notation.percent(r.response_rate),
        ]
        for day, r in zip(days, view.rounds, strict=True)
    ]
    goals = [(r.goal.yes, r.goal.doubt, r.goal.no) for r in view.rounds]
    goal = bar_chart(
        [Bar(day, counts, _items(GOAL["series"], counts)) for day, counts in zip(days, goals, strict=True)],
        chart_id="chart-goal",
        title=GOAL["caption"],
        description=GOAL["chart_description"],
        series=GOAL["series"],
    )
    head = (RESPONSE["round"], RESPONSE["sent"], RESPONSE["answered"], RESPONSE["rate"])
    body = figure("fig-response", RESPONSE["caption"], rates, head, rate_rows) + figure(
        "fig-goal",
        GOAL["caption"],
        goal,
        GOAL["head"],
        [[day, *map(notation.whole_number, counts)] for day, counts in zip(days, goals, strict=True)],
    )
    return section("respons", HEADINGS["respons"], body)


def warnings(view: DashboardView) -> str:
    if not view.warnings:
        return section("signalen", HEADINGS["signalen"], paragraph(WARNINGS["none"]))
    rows = [[w.organisation, w.identity, w.reason] for w in view.warnings]
    body = table(WARNINGS["caption"], WARNINGS["head"], rows, caption_id="signalen-table")
    if view.advice is not None:
        solutions = "".join(f"<li>{esc(solution)}</li>" for solution in view.advice.solutions)
        body += (
            paragraph(WARNINGS["advice"].format(title=view.advice.title), "advice")
            + f'<ul class="advice">{solutions}</ul>'
        )
    return section("signalen", HEADINGS["signalen"], body)


def meldingen(view: DashboardView) -> str:
    if not view.meldingen:
        return section("meldingen", HEADINGS["meldingen"], paragraph(MELDINGEN["none"]))
    rows = [
        [
            notation.day(m.reported_on), m.organisation or MELDINGEN["unknown"], m.stuck, m.between, m.since,
            notation.day(m.answered_on) if m.answered_on else MELDINGEN["open"],
        ]
        for m in view.meldingen
    ]
    return section("meldingen", HEADINGS["meldingen"], table(MELDINGEN["caption"], MELDINGEN["head"], rows, caption_id="meldingen-table"))


def _count_figure(
    figure_id: str, caption: str, description: str, head: Sequence[str], counts: Sequence[Count]
) -> str:
    """Bars of counts per label (needs per knelpunt, partners per topic or region) with their table."""
    chart = bar_chart(
        [Bar(c.label, (c.count,), notation.whole_number(c.count)) for c in counts],
        chart_id=f"chart-{figure_id}",
        title=caption,
        description=description,
    )
    return figure(
        f"fig-{figure_id}", caption, chart, head, [[c.label, notation.whole_number(c.count)] for c in counts]
    )


def needs(view: DashboardView) -> str:
    rounds = view.needs.rounds
    if not rounds:
        body = paragraph(NO_ROUNDS)
    elif not view.needs.per_knelpunt:
        body = paragraph(NEEDS["none"])
    else:
        first, last = notation.day(rounds[0]), notation.day(rounds[-1])
        caption = (
            NEEDS["caption_one"].format(first=first)
            if len(rounds) == 1
            else NEEDS["caption"].format(count=len(rounds), first=first, last=last)
        )
        body = _count_figure(
            "needs", caption, NEEDS["chart_description"], NEEDS["head"], view.needs.per_knelpunt
        )
    return section("behoeften", HEADINGS["behoeften"], body)


def social_map(view: DashboardView) -> str:
    found = view.social_map
    if not found.partners:
        return section("sociale-kaart", HEADINGS["sociale-kaart"], paragraph(SOCIAL_MAP["empty"]))
    days = found.stale_after_days
    period = SOCIAL_MAP["day" if days == 1 else "days"].format(n=notation.whole_number(days))
    stale = SOCIAL_MAP["stale_value"].format(
        count=notation.whole_number(found.stale), percent=notation.percent(found.stale / found.partners)
    )
    figures = (
        f'<dl class="key-figures"><div><dt>{esc(SOCIAL_MAP["partners"])}</dt><dd>{notation.whole_number(found.partners)}</dd></div>'
        f"<div><dt>{esc(SOCIAL_MAP['stale'].format(days=period))}</dt><dd>{esc(stale)}</dd></div></dl>"
    )
    for kind, counts in (("topic", found.by_topic), ("region", found.by_region)):
        if counts:
            figures += _count_figure(
                kind,
                SOCIAL_MAP[f"{kind}_caption"],
                SOCIAL_MAP[f"{kind}_description"],
                SOCIAL_MAP[f"{kind}_head"],
                counts,
            )
    return section("sociale-kaart", HEADINGS["sociale-kaart"], figures)


def questions(view: DashboardView) -> str:
    asked = view.questions
    if not asked.weeks:
        return section("vragen", HEADINGS["vragen"], paragraph(QUESTIONS["none"]))
    names = [PLATFORMS.get(platform, platform) for platform in asked.platforms]
    weeks = [notation.week(w.week_of) for w in asked.weeks]
    chart = bar_chart(
        [Bar(label, w.counts, _items(names, w.counts)) for label, w in zip(weeks, asked.weeks, strict=True)],
        chart_id="chart-questions",
        title=QUESTIONS["caption"],
        description=QUESTIONS["chart_description"],
        series=names,
    )
    head = (QUESTIONS["week"], *names, QUESTIONS["total"])
    rows = [
        [label, *map(notation.whole_number, w.counts), notation.whole_number(sum(w.counts))]
        for label, w in zip(weeks, asked.weeks, strict=True)
    ]
    body = paragraph(QUESTIONS["intro"]) + figure("fig-questions", QUESTIONS["caption"], chart, head, rows)
    return section("vragen", HEADINGS["vragen"], body)


def _milestone(m: Milestone) -> str:
    parts = [
        MILESTONES["reached"].format(day=notation.day(m.reached_on))
        if m.reached_on
        else MILESTONES["not_reached"],
        MILESTONES["celebrated"].format(day=notation.day(m.celebrated_on))
        if m.celebrated_on
        else MILESTONES["not_celebrated"],
    ]
    if m.queued:
        parts.append(
            MILESTONES["delivered"].format(
                delivered=notation.whole_number(m.delivered), queued=notation.whole_number(m.queued)
            )
        )
    return f"<li><h3>{esc(m.title)}</h3><p>{esc(MILESTONES['join'].join(parts))}.</p></li>"


def milestones(view: DashboardView) -> str:
    if not view.milestones:
        body = paragraph(MILESTONES["none"])
    else:
        body = '<ul class="milestones">' + "".join(map(_milestone, view.milestones)) + "</ul>"
    return section("mijlpalen", HEADINGS["mijlpalen"], body)


SECTIONS = (commitment, response, warnings, meldingen, needs, social_map, questions, milestones)
