"""Charts built in Python with plotly and drawn by plotly's own JavaScript, served from the
installed package (/static/plotly.min.js): no CDN, no web fonts, so pages work offline.

Amounts go to the browser as decimal strings (plotly.js reads them as numbers); the labels and
hover texts are formatted here, in the page's language. static/credo.js draws them and follows a
point's link (customdata) on click."""

from __future__ import annotations

import json
from decimal import Decimal

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from credo.services.reports.common import ratio_text
from credo.web.i18n import Language

FONT = 'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
CONFIG = {"displayModeBar": False, "responsive": True, "displaylogo": False}
NOT_DUE, OVERDUE, LINE, BEST = "#3b82a0", "#d9822b", "#1f3a5f", "#7aa37a"


def _layout(figure: go.Figure, height: int) -> None:
    figure.update_layout(template="none", height=height, margin=dict(l=8, r=8, t=28, b=8),
                         font=dict(family=FONT, size=12, color="#1f2937"),
                         paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", showlegend=False)
    # type linear: plotly.js reads the decimal strings as numbers (it would take them for categories)
    figure.update_yaxes(type="linear", gridcolor="#e5e7eb", zeroline=False, automargin=True, rangemode="tozero")
    figure.update_xaxes(automargin=True, type="category")


def _html(figure: go.Figure, div_id: str) -> Markup:
    """A placeholder holding the figure as JSON; static/credo.js draws it once the page is laid out
    (drawn while the page is still arriving, a chart takes the width of a half-built layout)."""
    return Markup('<div id="{}" class="plotly-chart" data-figure="{}" data-config="{}"></div>').format(
        div_id, pio.to_json(figure, validate=False), json.dumps(CONFIG))


def aging_chart(lang: Language, currency: str, buckets: list[tuple[str, str, Decimal]], links: list[str]) -> Markup:
    """Bars per bucket, oldest last: (label shown, bucket label, amount) each, with its link."""
    labels = [shown for shown, _, _ in buckets]
    amounts = [amount for _, _, amount in buckets]
    figure = go.Figure(go.Bar(
        x=labels, y=[str(a) for a in amounts], customdata=links, text=[lang.compact(a) for a in amounts],
        hovertext=[lang.money(a, currency) for a in amounts], hovertemplate="%{x}: %{hovertext}<extra></extra>",
        textposition="outside", cliponaxis=False,
        marker_color=[NOT_DUE if key == "not_due" else OVERDUE for _, key, _ in buckets]))
    _layout(figure, 300)
    figure.update_yaxes(showticklabels=False)
    return _html(figure, "aging-chart")


def trend_chart(lang: Language, months: list, labels: dict[str, str], links: list[str]) -> Markup:
    """DSO and best possible DSO month by month (TrendMonth values), each point linking to its reports."""
    x = [lang.month(m.month_end) for m in months]

    def line(values, name: str, colour: str, dash: str | None = None) -> go.Scatter:
        shown = [ratio_text(v) for v in values]
        texts = [f"{name}: {lang.number(ratio_text(v))}" for v in values]
        return go.Scatter(x=x, y=shown, name=name, mode="lines+markers", customdata=links, hovertext=texts,
                          hovertemplate="%{x}<br>%{hovertext}<extra></extra>",
                          line=dict(color=colour, width=2, dash=dash), marker=dict(size=6))

    figure = go.Figure([line([m.dso for m in months], labels["dso"], LINE),
                        line([m.best_possible_dso for m in months], labels["best"], BEST, "dot")])
    _layout(figure, 300)
    figure.update_layout(showlegend=True, legend=dict(orientation="h", y=1.12, x=0))
    return _html(figure, "trend-chart")
