"""CSV cells a spreadsheet would run as a formula, neutralised.

Text from the documents reaches the CSV exports (a procedure name, a
field, a doc_id taken from a file name).  Following OWASP's guidance on CSV
injection, a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is written with a leading apostrophe, which Excel and
LibreOffice read as "this is text"; numbers are left as they are.  The
Parquet files, the store and the Excel workbook (written cell by cell as
strings, no formulas) keep the text unchanged.
"""
from __future__ import annotations

FORMULA_START = "=+-@\t\r"


def safe_cell(value):
    """``value`` as a CSV cell no spreadsheet evaluates: "=1+1" → "'=1+1"."""
    if isinstance(value, str) and value[:1] and value[0] in FORMULA_START:
        return "'" + value
    return value


def safe_sql(column: str) -> str:
    """The DuckDB expression for a text column's values as :func:`safe_cell`
    writes them (``column`` is a column name of the schema, not a value)."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_START)
    return (f'CASE WHEN left("{column}", 1) IN ({starts}) THEN chr(39) || "{column}" '
            f'ELSE "{column}" END')
