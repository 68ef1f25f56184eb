"""``parmine plot OUT --indicator NAME [--by province|unit|agency|period] [--period KIND]``:
one publishable chart.

The bars are :func:`~parmine.pipelines.aggregate.chart_data`'s (one copy
per report, one value per report, one period kind, rates never summed);
this module only draws them: the indicator's English and Vietnamese name,
its unit, the period on the axis, each bar's value and number of reports,
and a source line saying how many reports it draws on, how many copies were
folded and how the bars were formed.
"""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from .. import PIPELINE_VERSION
from .aggregate import chart_data
from .store import Store
from .vocabulary import PERIOD_NAMES, counted, label, unit

AXES = {"province": "province (as named in the report)", "unit": "unit after July 2025",
        "agency": "reporting agency", "period": "period covered"}


def draw_chart(bars, info: dict, ax=None):
    """Draw ``chart_data``'s bars on ``ax`` (on a new figure, without
    pyplot, when None: a notebook passes its own); returns the figure."""
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    indicator, by = info["indicator"], info["by"]
    if ax is None:
        ax = Figure(figsize=(max(6.5, 0.9 * len(bars) + 3), 5.0), dpi=110).subplots()
    fig = ax.figure
    ticks = list(bars["period"]) if by == "period" else [f"{g}\n{p}" for g, p in zip(bars["group"], bars["period"])]
    rects = ax.bar(range(len(bars)), bars["value"], color="#3b6ea5")
    ax.set_xticks(range(len(bars)), ticks, rotation=0 if len(bars) < 6 else 30,
                  ha="center" if len(bars) < 6 else "right", fontsize=8)
    ax.bar_label(rects, fontsize=8, labels=[f"{v:,.4g}" + (f"\n({n} reports)" if n > 1 else "")
                                            for v, n in zip(bars["value"], bars["reports"])])
    kind_en, kind_vi = PERIOD_NAMES[info["period"]]
    ax.set_title(f"{label(indicator)} · {label(indicator, 'vi')}\n"
                 f"reports covering a {kind_en} (báo cáo {kind_vi})", fontsize=11)
    u = unit(indicator)
    ax.set_ylabel(u if u != "%" else "% (" + "; ".join(info["methods"]) + ")")
    if u == "%":
        ax.set_ylim(0, 110)
    else:
        ax.set_ylim(0, max(bars["value"].max(), 1) * 1.2)
    ax.set_xlabel(AXES[by] + ("" if by == "period" else f" · {kind_en}"))
    folded = f", {counted(info['copies'], 'copy', 'copies')} of them folded" if info["copies"] else ""
    other = f"; {counted(info['left_out'], 'report')} of other periods not shown" if info["left_out"] else ""
    how = "" if info["methods"] == ["as stated"] else f"; bars: {', '.join(info['methods'])}"
    reports = counted(info["reports"], "report")
    source = textwrap.fill(f"Source: parmine {PIPELINE_VERSION}, {reports}{folded}{other}{how}. "
                           f"One value per report: its first stated total of {indicator}.",
                           width=int(fig.get_figwidth() * 15))
    fig.text(0.01, 0.01, source, fontsize=7, color="#555", va="bottom")
    fig.tight_layout(rect=(0, 0.03 + 0.025 * source.count("\n") + 0.02, 1, 1))
    return fig


def plot_indicator(out: str | Path, indicator: str, by: str = "province",
                   path: str | Path | None = None, fmt: str = "png", period: str | None = None) -> Path:
    """Chart ``indicator`` of the dataset in ``out``; returns the image written
    (default ``OUT/plot-INDICATOR-BY-PERIOD.FMT``)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be png or svg, not {fmt!r}")
    with Store(out, lock=False, read_only=True) as store:
        bars, info = chart_data(store, indicator, by, period)
    fig = draw_chart(bars, info)
    path = Path(path) if path else Path(out) / f"plot-{indicator}-{info['by']}-{info['period']}.{fmt}"
    tmp = path.with_name(f".{path.name}.tmp")
    fig.savefig(tmp, format=fmt)
    os.replace(tmp, path)
    return path
