"""``parmine plot OUT --indicator NAME --by province|unit|year``: one chart
for scripted use.

The values plotted are each report's stated total for the indicator (rows
without field and procedure, the first statement in the report), summed
over the reports of each group: the province as it was named when the
report was written (``province``), the unit after the July 2025 merger
(``unit``), or the year of the covered period (``year``).
"""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .store import Store  # noqa: E402

GROUPS = {"province": "province", "unit": "unit_2025", "year": "year"}


def indicator_totals(out: str | Path, indicator: str):
    """Per report: its first stated total of ``indicator`` (a DataFrame)."""
    with Store(out, lock=False, read_only=True) as store:
        frame = store.frame(
            "SELECT doc_id, province, unit_2025, year, value FROM indicators "
            "WHERE indicator = ? AND field IS NULL AND procedure IS NULL "
            "ORDER BY doc_id, coalesce(start, 2147483647), table_no, row_no", [indicator])
        if frame.empty:
            known = [r[0] for r in store.query(
                "SELECT DISTINCT indicator FROM indicators ORDER BY 1")[1]]
            raise ValueError(f"no reported total for indicator {indicator!r} in {out}; "
                             f"indicators with data: {', '.join(known) or 'none'}")
    return frame.drop_duplicates("doc_id", keep="first")


def plot_indicator(out: str | Path, indicator: str, by: str = "province",
                   path: str | Path | None = None, fmt: str = "png") -> Path:
    """Draw ``indicator`` summed by ``by``; returns the image written."""
    if by not in GROUPS:
        raise ValueError(f"--by must be one of {', '.join(GROUPS)}, not {by!r}")
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be png or svg, not {fmt!r}")
    frame = indicator_totals(out, indicator)
    col = GROUPS[by]
    frame[col] = frame[col].astype(object).where(frame[col].notna(), "unknown").astype(str)
    series = frame.groupby(col)["value"].sum().sort_index()
    plt.rcParams["font.family"] = "DejaVu Sans"
    fig, ax = plt.subplots(figsize=(max(6.0, 0.8 * len(series) + 3), 4.5), dpi=110)
    bars = ax.bar(series.index, series.values, color="#3b6ea5")
    ax.bar_label(bars, labels=[f"{v:g}" for v in series.values], fontsize=8)
    ax.set_title(f"{indicator} by {by} ({len(frame)} reports)")
    ax.set_xlabel({"province": "province (as named in the report)", "unit": "unit after July 2025",
                   "year": "year of the covered period"}[by])
    ax.set_ylabel(indicator + (" (%)" if indicator.startswith("rate.") else ""))
    ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    path = Path(path) if path else Path(out) / f"plot-{indicator}-{by}.{fmt}"
    tmp = path.with_name(f".{path.name}.tmp")
    fig.savefig(tmp, format=fmt)
    plt.close(fig)
    os.replace(tmp, path)
    return path
