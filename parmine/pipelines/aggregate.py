"""Figures across reports, computed one way for every consumer: the wide
table, ``parmine plot`` and the researchers' notebook.

The rules (docs/dataset.md, "Aggregates"):

- **one copy per report**: documents marked ``duplicate_of`` another
  (:mod:`parmine.pipelines.copies`) are left out, and each figure says how
  many copies were folded;
- **one value per report and indicator**: the report's first stated total
  (no ``field``, no ``procedure``, not a table's part row; prose before
  tables);
- **one report per province × agency × period**: when several (a report
  and its revision) share one, the latest issued gives the values;
- **one period kind at a time**: year, half, quarter, nine-month and month
  figures are never added together;
- **rates are never summed**: a bar of several reports' rates is their mean,
  weighted by the count the rate is a share of when every report states it
  (``vocabulary.RATE_BASES``), else unweighted — the chart says which.
"""
from __future__ import annotations

import pandas as pd

from .vocabulary import RATE_BASES, is_rate, label, period_label
from .wide import PERIOD_KINDS, VALUES_SQL, WIDE_KEYS, wide_sql

GROUPS = {"province": "province", "unit": "unit_2025", "agency": "agency", "period": None}


def report_values(store, indicators: list[str] | None = None) -> pd.DataFrame:
    """One row per (report, indicator): the value the wide table holds.

    Copies are left out (``copies`` counts those folded into each report);
    of several reports sharing a province × agency × period, only the latest
    issued one's rows are kept."""
    only, params = "", []
    if indicators:
        only = f"AND i.indicator IN ({', '.join('?' * len(indicators))})"
        params = list(indicators)
    return store.frame(VALUES_SQL.format(only=only) + " ORDER BY issued_date DESC NULLS LAST, doc_id", params)


def wide_table(store) -> pd.DataFrame:
    """Province × reporting agency × period × indicator (``indicators_wide``):
    the values of :func:`report_values`, ``reports`` (distinct reports with
    that province, agency and period) and ``copies`` (files left out as
    copies of those reports)."""
    wide = store.frame(wide_sql(store))
    for k in ("year", "period_index"):
        wide[k] = wide[k].astype("Int64")
    return wide


def default_period(values: pd.DataFrame) -> str:
    """The period kind most reports in ``values`` cover (year first on a tie)."""
    counts = values[values["period_kind"].isin(PERIOD_KINDS)].groupby("period_kind")["doc_id"].nunique()
    if counts.empty:
        raise ValueError("no report covers a year, half, quarter, nine months or month")
    return max(PERIOD_KINDS, key=lambda k: (counts.get(k, 0), -PERIOD_KINDS.index(k)))


def chart_data(store, indicator: str, by: str = "province", period: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The bars of one chart: one row per group × period of ``period`` kind,
    with ``value``, ``reports`` (how many reports it draws on) and
    ``copies`` (files folded into those reports), and a dict saying what was
    drawn (``period``, ``method``, ``reports``, ``copies``, ``left_out``:
    reports of other period kinds)."""
    if by == "year":
        by = "period"
    if by not in GROUPS:
        raise ValueError(f"--by must be one of {', '.join(GROUPS)}, not {by!r}")
    if period is not None and period not in PERIOD_KINDS:
        raise ValueError(f"--period must be one of {', '.join(PERIOD_KINDS)}, not {period!r}")
    base = RATE_BASES.get(indicator) if is_rate(indicator) else None
    values = report_values(store, [indicator] + ([base] if base else []))
    mine = values[values["indicator"] == indicator]
    if mine.empty:
        known = [r[0] for r in store.query("SELECT DISTINCT indicator FROM indicators ORDER BY 1")[1]]
        raise ValueError(f"no reported total for indicator {indicator!r}; "
                         f"indicators with data: {', '.join(known) or 'none'}")
    period = period or default_period(mine)
    kept = mine[mine["period_kind"] == period].copy()
    if kept.empty:
        have = mine.groupby(mine["period_kind"].fillna("unknown"))["doc_id"].nunique()
        raise ValueError(f"no {period} report states {indicator}; reports by period kind: "
                         + ", ".join(f"{k} {n}" for k, n in have.items()))
    if base:
        weights = values[values["indicator"] == base].set_index("doc_id")["value"]
        kept["weight"] = kept["doc_id"].map(weights)
    col = GROUPS[by]
    kept["group"] = "all reports" if col is None else kept[col].astype(object).where(kept[col].notna(), "unknown")
    kept["period"] = [period_label(k, y, i) for k, y, i in
                      zip(kept["period_kind"], kept["year"], kept["period_index"])]
    kept["order"] = kept["year"].astype("Float64").fillna(0) * 100 + kept["period_index"].astype("Float64").fillna(0)
    rows, methods = [], set()
    for (group, order, plabel), g in kept.groupby(["group", "order", "period"], sort=True):
        if not is_rate(indicator):
            value, method = g["value"].sum(), "sum" if len(g) > 1 else "as stated"
        elif len(g) == 1:
            value, method = g["value"].iloc[0], "as stated"
        elif base and g["weight"].notna().all() and g["weight"].sum() > 0:
            value, method = (g["value"] * g["weight"]).sum() / g["weight"].sum(), f"mean weighted by {label(base)}"
        else:
            value, method = g["value"].mean(), "unweighted mean"
        methods.add(method)
        rows.append({"group": group, "period": plabel, "order": order, "value": float(value),
                     "reports": len(g), "copies": int(g["copies"].sum()), "method": method})
    bars = pd.DataFrame(rows).sort_values(["group", "order"] if col else ["order"]).reset_index(drop=True)
    info = {"indicator": indicator, "by": by, "period": period, "reports": int(bars["reports"].sum()),
            "copies": int(bars["copies"].sum()), "methods": sorted(methods),
            "left_out": int(mine.loc[mine["period_kind"] != period, "doc_id"].nunique())}
    return bars.drop(columns="order"), info


def report_labels(frame: pd.DataFrame) -> pd.Series:
    """A row's report as a person names it: province · agency · period
    (for the rows of :func:`wide_table` or :func:`report_values`)."""
    return pd.Series([f"{p or '?'} · {a or '?'} · {period_label(k, y, i)}" for p, a, k, y, i in zip(
        frame["province"], frame["agency"], frame["period_kind"], frame["year"], frame["period_index"])],
        index=frame.index, dtype=object)


def on_time_rates(wide: pd.DataFrame) -> pd.DataFrame:
    """Per row of the wide table: the share of dossiers resolved early or on
    time, and how it was obtained — the stated ``rate.on_time``; else
    derived from the report's counts (``.in_time``, or ``.early`` +
    ``.on_time`` when both are stated, or ``resolved − late``) over
    ``dossiers.resolved``; else missing (a part that is not stated is
    unknown, never 0)."""
    def col(name):
        return pd.to_numeric(wide[name], errors="coerce") if name in wide else pd.Series(float("nan"), index=wide.index)

    resolved = col("dossiers.resolved").where(col("dossiers.resolved") > 0)
    candidates = [("stated", col("rate.on_time")),
                  ("in_time / resolved", 100 * col("dossiers.resolved.in_time") / resolved),
                  ("(early + on_time) / resolved",
                   100 * (col("dossiers.resolved.early") + col("dossiers.resolved.on_time")) / resolved),
                  ("(resolved − late) / resolved", 100 * (resolved - col("dossiers.resolved.late")) / resolved)]
    out = wide[WIDE_KEYS + ["reports", "copies"]].copy()
    out.insert(0, "report", report_labels(wide))
    out["on_time"] = float("nan")
    out["method"] = None
    for method, values in candidates:
        fill = out["on_time"].isna() & values.notna()
        out.loc[fill, "on_time"] = values[fill]
        out.loc[fill, "method"] = method
    return out
