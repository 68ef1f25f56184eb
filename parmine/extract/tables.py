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

from .normalize import fold
from .records import Indicator

_FIGURE = regex.compile(r"^\s*\d{1,3}(?:[.\s]\d{3})*(?:,\d+)?\s*%?\s*$")
_COLNUM = regex.compile(r"^\s*\(?\d{1,2}\)?\s*$")
_TOTAL = regex.compile(r"^\s*(?:tổng\s+cộng|tổng\s+số|cộng|tổng)\s*:?\s*$")
_SERIAL = regex.compile(r"^\s*\d{1,3}\.?\s*$|^\s*[IVX]+\.?\s*$")


def _num(cell: str):
    c = cell.strip().rstrip("%").strip()
    if not c:
        return None
    if regex.fullmatch(r"\d{1,3}(?:\.\d{3})+", c):
        return int(c.replace(".", ""))
    if regex.fullmatch(r"\d+,\d+", c):
        return float(c.replace(",", "."))
    if regex.fullmatch(r"\d+", c):
        return int(c)
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
    if "trực tuyến" in w and "không trực tuyến" not in w:
        return "dossiers.received.online"
    if "trực tiếp" in w or "không trực tuyến" in w:
        return "dossiers.received.offline"
    if "kỳ trước" in w or "chuyển qua" in w:
        return "dossiers.carried_over"
    if "mới tiếp nhận" in w:
        return "dossiers.new"
    if "chưa đến hạn" in w or "trong hạn" in w:
        return "dossiers.pending.within_deadline"
    if "trước hạn" in w:
        return "dossiers.resolved.early"
    if "đúng" in w and "hạn" in w:
        return "dossiers.resolved.on_time"
    if "quá hạn" in w or "trễ hạn" in w:
        # "Quá hạn" under "đang giải quyết" (after "Chưa đến hạn") is pending
        return "dossiers.pending.overdue" if any("chưa đến hạn" in fold(f) or "trong hạn" in fold(f)
                                                 for f in following[:0]) else None
    if "tổng số" in w or w.endswith("tổng") or "số hồ sơ" in w:
        ahead = " ".join(fold(f) for f in following)
        if "kỳ trước" in ahead or "mới tiếp nhận" in ahead:
            return "dossiers.received"
        if "chưa đến hạn" in ahead or "trong hạn" in ahead:
            return "dossiers.pending"
        if "đúng" in ahead or "trả" in ahead:
            return "dossiers.resolved"
    return None


def _map_columns(labels: list[str]) -> dict[int, str]:
    """Column index → indicator, for the dossier tables."""
    out: dict[int, str] = {}
    own = [l.split(" ")[-1] if False else l for l in labels]
    for j, label in enumerate(own):
        following = []
        for k in range(j + 1, len(own)):
            if "tổng số" in fold(own[k]).split("  ")[-1] and k > j + 1:
                break
            following.append(own[k])
        name = _dossier_column(label, following)
        if name == "dossiers.received.online" and "hồ sơ" not in fold(label):
            name = None
        if name is None and ("quá hạn" in fold(label) or "trễ hạn" in fold(label)):
            before = " ".join(fold(x) for x in own[max(0, j - 2):j])
            name = "dossiers.pending.overdue" if "chưa đến hạn" in before or "trong hạn" in before \
                else "dossiers.resolved.late"
        if name:
            out[j] = name
    return out


def _criterion(label: str) -> tuple[str | None, str | None]:
    """A row of a criteria table ("Số TTHC được công khai ...") → (count, rate)."""
    w = fold(label)
    if "liên thông" in w:
        return None, None
    if "công khai" in w or "công bố" in w:
        return "procedures.published", "rate.published"
    if "một cửa" in w:
        return "procedures.one_stop", "rate.one_stop"
    if "trực tuyến" in w or "mức độ" in w:
        return "procedures.online", "rate.online"
    if "rà soát" in w:
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
        r"tên\s+(?:tthc|thủ tục)|thủ tục hành chính|kế hoạch$|^kế hoạch|tiêu chí|nội dung", l)), 1 if width > 1 else 0)
    field_col = next((j for j, l in enumerate(folded) if l.startswith("lĩnh vực")), None)
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
        is_total = any(_TOTAL.match(fold(c)) for c in r[:name_col + 1] if c)
        name = None if is_total else (r[name_col] or None)
        field = None if is_total or field_col is None else (r[field_col] or None)
        role = "total" if is_total else "part"
        if kind == "dossiers":
            for j, ind in _map_columns(labels).items():
                v = _num(r[j]) if j < len(r) else None
                if v is not None:
                    add(ind, v, row_no, j, name, field, role)
        elif kind == "plans":
            inspection = name is not None and "kiểm tra" in fold(name)
            cols = [j for j, l in enumerate(folded) if "nhiệm vụ" in l or "đơn vị" in l]
            done = [j for j in cols if "hoàn thành" in folded[j]]
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
                if "tỷ lệ" in l or "%" in l:
                    add(rate, v, row_no, j, None, None, "single")
                elif "tổng số" in l or l == "số lượng":
                    add(count, v, row_no, j, None, None, "single")
            for j, l in enumerate(folded):
                if "ghi chú" in l and count == "procedures.online":
                    m = regex.search(r"(\d+)\s*[Mm]ức\s+độ\s+4", r[j])
                    if m:
                        add("procedures.online.level4", int(m.group(1)), row_no, j, None, None, "single")
    return out


def _table_kind(labels: list[str], title: str | None) -> str | None:
    words = " ".join(labels) + " " + fold(title or "")
    if "hồ sơ" in words:
        return "dossiers"
    if regex.search(r"nhiệm vụ|đơn vị", words) and "kế hoạch" in words:
        return "plans"
    if "tiêu chí" in words or "tỷ lệ" in words:
        return "criteria"
    return None
