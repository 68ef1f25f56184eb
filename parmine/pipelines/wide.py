"""The wide table's SQL: one row per province × reporting agency × period,
one column per indicator, following the rules of :mod:`.aggregate` (one
copy per report, each report's first stated total, the latest issued
report when several share a row).

Kept apart from :mod:`.aggregate` (pandas) because a run's exports build
the table in DuckDB alone.
"""
from __future__ import annotations

# the kinds of period a figure is given for, never added together
PERIOD_KINDS = ("year", "half", "quarter", "nine_months", "month")
WIDE_KEYS = ["province", "unit_2025", "agency", "year", "period_kind", "period_index"]

# the figures a wide row can take: the rules' stated totals of the reports that are no copy
_STATED_WHERE = """d.duplicate_of IS NULL AND i.field IS NULL AND i.procedure IS NULL
    AND i.extractor <> 'ner' AND NOT (i.table_no IS NOT NULL AND i.role = 'part')"""

VALUES_SQL = f"""
WITH folded AS (SELECT duplicate_of AS doc_id, count(*) AS n FROM documents
                WHERE duplicate_of IS NOT NULL GROUP BY 1),
stated AS (
  SELECT d.doc_id, d.province, d.unit_2025, d.agency, d.period_year AS year, d.period_kind, d.period_index,
         d.issued_date, coalesce(f.n, 0) AS copies, i.indicator, i.value,
         row_number() OVER (PARTITION BY i.doc_id, i.indicator
                            ORDER BY coalesce(i.start, 2147483647), i.table_no, i.row_no, i.col_no) AS nth
  FROM indicators i JOIN documents d USING (doc_id) LEFT JOIN folded f USING (doc_id)
  WHERE {_STATED_WHERE} {{only}}),
latest AS (
  SELECT *, row_number() OVER (PARTITION BY province, unit_2025, agency, year, period_kind, period_index, indicator
                               ORDER BY issued_date DESC NULLS LAST, doc_id) AS nth_report
  FROM stated WHERE nth = 1)
SELECT * EXCLUDE (nth, nth_report) FROM latest WHERE nth_report = 1
"""

# the wide table's indicator columns: every indicator with a figure a row can take (each such
# figure's report and indicator have a first figure, each row a latest report: no window needed
# to know which indicators the rows hold, so the windows over every figure run once, in the
# table's own SELECT, not twice)
_NAMES_SQL = f"""
SELECT DISTINCT i.indicator FROM indicators i JOIN documents d USING (doc_id) WHERE {_STATED_WHERE} ORDER BY 1
"""

_ROWS_SQL = """
WITH folded AS (SELECT duplicate_of AS doc_id, count(*) AS n FROM documents
                WHERE duplicate_of IS NOT NULL GROUP BY 1)
SELECT d.province, d.unit_2025, d.agency, d.period_year AS year, d.period_kind, d.period_index,
       count(*) AS reports, CAST(sum(coalesce(f.n, 0)) AS INTEGER) AS copies
FROM documents d LEFT JOIN folded f USING (doc_id) WHERE d.duplicate_of IS NULL GROUP BY ALL
"""


def _quoted(name: str, quote: str) -> str:
    return quote + name.replace(quote, quote * 2) + quote


def wide_sql(store) -> str:
    """The SELECT of the wide table: one row per province × agency × period
    with a stated value, one column per indicator stated anywhere."""
    names = [r[0] for r in store.con.execute(_NAMES_SQL).fetchall()]
    keys = ", ".join(WIDE_KEYS)
    values = "".join(f", first(value) FILTER (WHERE indicator = {_quoted(n, chr(39))}) AS {_quoted(n, chr(34))}"
                     for n in names)
    on = " AND ".join(f"v.{k} IS NOT DISTINCT FROM r.{k}" for k in WIDE_KEYS)
    return (f"SELECT {', '.join(f'v.{k}' for k in WIDE_KEYS)}, r.reports, r.copies"
            f"{''.join(f', v.{_quoted(n, chr(34))}' for n in names)} "
            f"FROM (SELECT {keys}{values} FROM ({VALUES_SQL.format(only='')}) GROUP BY {keys}) v "
            f"LEFT JOIN ({_ROWS_SQL}) r ON {on} ORDER BY {', '.join(f'v.{k} NULLS FIRST' for k in WIDE_KEYS)}")
