"""Small HTML builders for the dashboard: escaped text, tables with headers, and a figure that keeps a chart
and its numbers together."""

from __future__ import annotations

import html
from collections.abc import Sequence

from adapters.web.dashboard.texts import FIGURE


def esc(text: str) -> str:
    """Text safe in HTML content and in quoted attributes."""
    return html.escape(text, quote=True)


def table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]], *, caption_id: str) -> str:
    """A table whose first column heads each row; every cell is text, escaped here."""
    header = "".join(f'<th scope="col">{esc(cell)}</th>' for cell in head)
    body = "".join(
        f'<tr><th scope="row">{esc(row[0])}</th>'
        + "".join(f"<td>{esc(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="table-box" role="region" aria-labelledby="{caption_id}" tabindex="0">'
        f'<table><caption id="{caption_id}">{esc(caption)}</caption><thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def figure(
    figure_id: str, caption: str, chart: str, head: Sequence[str], rows: Sequence[Sequence[str]]
) -> str:
    """A chart with its caption, and beside it the same numbers as a table (for screen readers and print)."""
    numbers = table(FIGURE["numbers"].format(caption=caption), head, rows, caption_id=f"{figure_id}-numbers")
    return (
        f'<figure id="{figure_id}" class="figure"><figcaption>{esc(caption)}</figcaption>'
        f'<div class="chart-box">{chart}</div>{numbers}</figure>'
    )


def section(section_id: str, heading: str, body: str) -> str:
    return f'<section id="{section_id}" aria-labelledby="{section_id}-heading"><h2 id="{section_id}-heading">{esc(heading)}</h2>{body}</section>'


def paragraph(text: str, css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<p{attribute}>{esc(text)}</p>"
