"""Tables → reform indicators.

Report appendices state results as tables ("Biểu", "Phụ lục"): one row per
procedure, field or plan, one column per figure, a "Tổng cộng" row.  This
module reads them from rows of cells, whatever the source (tab-separated
text, DOCX, PDF):

- header rows are the rows before the first row whose cells are mostly
  figures; a multi-row header (group labels, sub-labels, a "(1) … (12)"
  column-number row) is read column by column, each column's label being
  its group label (carried over blank cells to the right) plus its own;
- the name column ("Tên TTHC", "Tên thủ tục", "Kế hoạch", "Tiêu chí")
  gives ``procedure`` (or the plan / criterion), a "Lĩnh vực" column gives
  ``field`` (the cell as written; empty → None);
- a row without a serial number whose only content is text in the name
  column continues the row above (a row split by a page break);
- a "Tổng cộng"/"Tổng số"/"Cộng" row gives the totals (no procedure, no
  field, role "total"); blank cells give no row, a written 0 does;
- each figure column is mapped to an indicator by its label words
  ("Tổng số hồ sơ tiếp nhận trực tuyến" → ``dossiers.received.online``,
  "Trả đúng thời hạn" → ``dossiers.resolved.on_time``, "Chưa đến hạn" →
  ``dossiers.pending.within_deadline``, "Số nhiệm vụ ... trong kế hoạch" →
  ``plan.tasks`` — or ``inspection.units_planned`` for an inspection
  plan —, "Tỷ lệ %" → the rate of the row's criterion).
"""
from __future__ import annotations

import regex

from ..text.normalize import fold as _fold
from .records import Indicator


def fold(text: str) -> str:
    """Folded and without spaces: narrow cells break words anywhere
    ("Chư a đến hạn"), so labels are compared letter by letter."""
    return _fold(text).replace(" ", "")

_FIGURE = regex.compile(r"^\s*\d{1,3}(?:[.\s]\d{3})*(?:,\d+)?\s*%?\s*$")
_COLNUM = regex.compile(r"^\s*\(?\d{1,2}\)?\s*$")
_TOTAL = regex.compile(r"^\s*(?:tổng\s+cộng|tổng\s+số|cộng|tổng)\s*:?\s*$")
_SERIAL = regex.compile(r"^\s*\d{1,3}\.?\s*$|^\s*[IVX]+\.?\s*$")


_THOUSANDS = regex.compile(r"\d{1,3}(?:\.\d{3})+")
_DECIMAL = regex.compile(r"\d+,\d+")


def _num(cell: str):
    c = cell.strip().rstrip("%").strip()
    if not c:
        return None
    if c.isdecimal():
        return int(c)
    if _THOUSANDS.fullmatch(c):
        return int(c.replace(".", ""))
    if _DECIMAL.fullmatch(c):
        return float(c.replace(",", "."))
    return None


def _is_data_row(row: list[str]) -> bool:
    cells = [c for c in row if c.strip()]
    figures = [c for c in cells if _FIGURE.match(c)]
    return len(figures) >= 1 and len(figures) >= len(cells) / 3 and not all(_COLNUM.match(c) for c in cells)


def _labels(header: list[list[str]], width: int) -> list[str]:
    """One label per column: group label (filled right) + own label."""
    rows = [r + [""] * (width - len(r)) for r in header if not all(_COLNUM.match(c) or not c.strip() for c in r)]
    labels = [""] * width
    for r in rows:
        carried = ""
        for j in range(width):
            cell = r[j].strip()
            if cell:
                carried = cell
            # a group label spans the blank cells to its right (not the first columns)
            own = cell or (carried if j > 0 and rows.index(r) < len(rows) - 1 else "")
            if own and own not in labels[j]:
                labels[j] = f"{labels[j]} {own}".strip()
    return labels


def _dossier_column(label: str, following: list[str]) -> str | None:
    w = fold(label)
    if "trựctuyến" in w and "khôngtrựctuyến" not in w:
        return "dossiers.received.online"
    if "trựctiếp" in w or "khôngtrựctuyến" in w:
        return "dossiers.received.offline"
    if "kỳtrước" in w or "chuyểnqua" in w:
        return "dossiers.carried_over"
    if "mớitiếpnhận" in w:
        return "dossiers.new"
    if "chưađếnhạn" in w or "tronghạn" in w:
        return "dossiers.pending.within_deadline"
    if "trướchạn" in w:
        return "dossiers.resolved.early"
    if "đúng" in w and "hạn" in w:
        return "dossiers.resolved.on_time"
    if "quáhạn" in w or "trễhạn" in w:
        return None  # resolved late or pending overdue: decided by the columns before it
    if "tổngsố" in w or w.endswith("tổng") or "sốhồsơ" in w:
        ahead = " ".join(fold(f) for f in following)
        if "kỳtrước" in ahead or "mớitiếpnhận" in ahead:
            return "dossiers.received"
        if "chưađếnhạn" in ahead or "tronghạn" in ahead:
            return "dossiers.pending"
        if "đúng" in ahead or "trả" in ahead:
            return "dossiers.resolved"
    return None


def _map_columns(labels: list[str]) -> dict[int, str]:
    """Column index → indicator, for the dossier tables.  A "Tổng số" column
    means what the columns after it (up to the next "Tổng số") break down."""
    out: dict[int, str] = {}
    for j, label in enumerate(labels):
        following = []
        for later in labels[j + 1:]:
            if fold(later).endswith("tổngsố"):
                break
            following.append(later)
        name = _dossier_column(label, following)
        if name == "dossiers.received.online" and "hồsơ" not in fold(label):
            name = None
        if name is None and ("quáhạn" in fold(label) or "trễhạn" in fold(label)):
            before = " ".join(fold(x) for x in labels[max(0, j - 2):j])
            name = "dossiers.pending.overdue" if "chưađếnhạn" in before or "tronghạn" in before \
                else "dossiers.resolved.late"
        if name:
            out[j] = name
    return out


def _criterion(label: str) -> tuple[str | None, str | None]:
    """A row of a criteria table ("Số TTHC được công khai ...") → (count, rate)."""
    w = fold(label)
    if "liênthông" in w:
        return None, None
    if "côngkhai" in w or "côngbố" in w:
        return "procedures.published", "rate.published"
    if "mộtcửa" in w:
        return "procedures.one_stop", "rate.one_stop"
    if "trựctuyến" in w or "mứcđộ" in w:
        return "procedures.online", "rate.online"
    if "ràsoát" in w:
        return "procedures.reviewed", "rate.reviewed"
    return None, None


def table_indicators(rows: list[list[str]], table_index: int, title: str | None = None) -> list[Indicator]:
    """The indicators one table states."""
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]
    first_data = next((i for i, r in enumerate(rows) if _is_data_row(r)), None)
    if first_data is None or first_data == 0:
        return []
    header, body = rows[:first_data], rows[first_data:]
    labels = _labels(header, width)
    folded = [fold(l) for l in labels]
    name_col = next((j for j, l in enumerate(folded) if regex.search(
        r"tên(?:tthc|thủtục)|thủtụchànhchính|kếhoạch$|^kếhoạch|tiêuchí|nộidung", l)), 1 if width > 1 else 0)
    field_col = next((j for j, l in enumerate(folded) if l.startswith("lĩnhvực")), None)
    group = f"t:{table_index}"

    # join continuation rows (a row split by a page break)
    merged: list[tuple[int, list[str]]] = []
    for i, r in enumerate(body):
        filled = [j for j, c in enumerate(r) if c]
        if merged and filled == [name_col] and not _SERIAL.match(r[0] or "x"):
            k, prev = merged[-1]
            prev = prev[:]
            prev[name_col] = f"{prev[name_col]} {r[name_col]}".strip()
            merged[-1] = (k, prev)
            continue
        merged.append((first_data + i, r))

    out: list[Indicator] = []
    kind = _table_kind(folded, title)

    def add(name, value, row_no, col, procedure, field, role):
        out.append(Indicator(indicator=name, value=value, field=field, procedure=procedure,
                             table=table_index, row=row_no, col=col, group=group, role=role,
                             source="table"))

    for row_no, r in merged:
        is_total = any(_TOTAL.match(_fold(c)) for c in r[:name_col + 1] if c)
        name = None if is_total else (r[name_col] or None)
        field = None if is_total or field_col is None else (r[field_col] or None)
        role = "total" if is_total else "part"
        if kind == "dossiers":
            for j, ind in _map_columns(labels).items():
                v = _num(r[j]) if j < len(r) else None
                if v is not None:
                    add(ind, v, row_no, j, name, field, role)
        elif kind == "plans":
            inspection = name is not None and "kiểmtra" in fold(name)
            cols = [j for j, l in enumerate(folded) if "nhiệmvụ" in l or "đơnvị" in l]
            done = [j for j in cols if "hoànthành" in folded[j]]
            planned = [j for j in cols if j not in done]
            for j in planned:
                v = _num(r[j])
                if v is not None:
                    add("inspection.units_planned" if inspection else "plan.tasks", v, row_no, j,
                        None, name, "single")
            for j in done:
                v = _num(r[j])
                if v is not None:
                    add("inspection.units_inspected" if inspection else "plan.tasks_done", v,
                        row_no, j, None, name, "single")
        elif kind == "criteria":
            count, rate = _criterion(name or "")
            if not count:
                continue
            for j, l in enumerate(folded):
                v = _num(r[j]) if j != name_col else None
                if v is None:
                    continue
                if "tỷlệ" in l or "%" in l:
                    add(rate, v, row_no, j, None, None, "single")
                elif "tổngsố" in l or l == "sốlượng":
                    add(count, v, row_no, j, None, None, "single")
            for j, l in enumerate(folded):
                if "ghichú" in l and count == "procedures.online":
                    m = regex.search(r"(\d+)\s*[Mm]ức\s*độ\s*4", r[j])
                    if m:
                        add("procedures.online.level4", int(m.group(1)), row_no, j, None, None, "single")
    return out


def _table_kind(labels: list[str], title: str | None) -> str | None:
    words = " ".join(labels) + " " + fold(title or "")
    if "hồsơ" in words:
        return "dossiers"
    if regex.search(r"nhiệmvụ|đơnvị", words) and "kếhoạch" in words:
        return "plans"
    if "tiêuchí" in words or "tỷlệ" in words:
        return "criteria"
    return None
