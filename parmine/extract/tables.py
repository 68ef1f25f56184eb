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

from dataclasses import dataclass
from dataclasses import field as dataclass_field

import regex

from ..text.normalize import fold
from .indicator_rules import DOSSIER_RULES, RATE_RULES, SHARE_OF
from .phrases import first_rule
from .records import Indicator


def _tight(text: str) -> str:
    """Folded and without spaces: narrow cells break words anywhere
    ("Chư a đến hạn"), so labels are compared letter by letter."""
    return fold(text).replace(" ", "")


_FIGURE = regex.compile(r"^\s*\d{1,3}(?:[.\s]\d{3})*(?:,\d+)?\s*%?\s*$")
_COLNUM = regex.compile(r"^\s*\(?\d{1,2}\)?\s*$")
_TOTAL = regex.compile(r"^\s*(?:tổng\s+cộng|tổng\s+số|cộng|tổng)\s*:?\s*$")
_SERIAL = regex.compile(r"^\s*\d{1,3}\.?\s*$|^\s*[IVX]+\.?\s*$")
_THOUSANDS = regex.compile(r"\d{1,3}(?:\.\d{3})+")
_DECIMAL = regex.compile(r"\d+,\d+")
# a row label that names a breakdown, not a procedure: "Mức độ 3", "Cấp huyện", "Sở Tư pháp"
_BREAKDOWN_LABEL = regex.compile(
    r"^(?:mức\s*độ|cấp\s+(?:tỉnh|huyện|xã|thành\s*phố|trung\s*ương|bộ|sở)\b|sở\s|ubnd|ủy\s*ban|uỷ\s*ban|bộ\s|văn\s*phòng|trung\s*tâm|ban\s|"
    r"huyện|quận|thị\s*xã|thành\s*phố|xã|phường|trực\s*tuyến|trực\s*tiếp|bưu\s*chính)", regex.I)


def _num(cell: str) -> float | None:
    """The cell's number (an int when whole), or None."""
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


def _total_column(following: list[str]) -> str | None:
    """What a "Tổng số" column totals: the columns after it up to the next
    "Tổng số" say (received when they split new and carried-over dossiers or
    a resolved column follows, pending when they split within and past the
    deadline, resolved when they split on time and late)."""
    ahead = " ".join(_tight(f) for f in following)
    if "kỳtrước" in ahead or "mớitiếpnhận" in ahead or regex.search(r"đãxửlý|đãgiảiquyết", ahead):
        return "dossiers.received"
    if "chưađếnhạn" in ahead or "tronghạn" in ahead:
        return "dossiers.pending"
    if "đúng" in ahead or "trả" in ahead or "trướchạn" in ahead:
        return "dossiers.resolved"
    return None


_VERBS = ("dossiers.received", "dossiers.resolved", "dossiers.pending")


def _dossier_column(label: str, following: list[str], before: list[str]) -> str | None:
    """A column of a dossier table → its indicator, by the dossier rule
    table ("Số mới tiếp nhận" → new, "Trả đúng thời hạn" → on time, "Chưa
    đến hạn" → pending within deadline); "Quá hạn" is pending overdue after
    a "Chưa đến hạn"/"Trong hạn" column, else resolved late."""
    w = _tight(label)
    name = first_rule(w.replace("thờihạn", "hạn"), DOSSIER_RULES, cell=True)
    # a "Tổng số" column under a verb ("Số hồ sơ nhận giải quyết / Tổng số") totals what follows
    if (name is None or name in _VERBS) and (w.endswith("tổng") or "tổngsố" in w or w.endswith("sốhồsơ")):
        return _total_column(following)
    if name == "overdue":
        prior = " ".join(_tight(x) for x in before)
        return "dossiers.pending.overdue" if "chưađếnhạn" in prior or "tronghạn" in prior \
            else "dossiers.resolved.late"
    if name == "dossiers.received.online" and "hồsơ" not in w and "trựctuyến" not in w:
        return None
    return None if name == "-" else name


def _map_columns(labels: list[str]) -> dict[int, str]:
    """Column index → indicator, for the dossier tables (a "Tỷ lệ" column:
    the rate its label names, else the share of the column before it)."""
    out: dict[int, str] = {}
    for j, label in enumerate(labels):
        w = _tight(label)
        if "tỷlệ" in w or w.endswith("%"):
            name = first_rule(fold(label), RATE_RULES) or (SHARE_OF.get(out.get(j - 1, "")) if j else None)
        else:
            following = []
            for later in labels[j + 1:]:
                if _tight(later).endswith("tổngsố"):
                    break
                following.append(later)
            name = _dossier_column(label, following, labels[max(0, j - 2):j])
        if name and name != "-":
            out[j] = name
    return out


def _criterion(label: str) -> tuple[str, str] | None:
    """A row of a criteria table ("Số TTHC được công khai ...") → (count, rate),
    or None when it states no criterion of the vocabulary."""
    w = _tight(label)
    if "liênthông" in w:
        return None
    if "côngkhai" in w or "côngbố" in w:
        return "procedures.published", "rate.published"
    if "mộtcửa" in w:
        return "procedures.one_stop", "rate.one_stop"
    if "trựctuyến" in w or "mứcđộ" in w:
        return "procedures.online", "rate.online"
    if "ràsoát" in w:
        return "procedures.reviewed", "rate.reviewed"
    return None


def _table_kind(labels: list[str], title: str | None) -> str | None:
    words = " ".join(labels) + " " + _tight(title or "")
    if "hồsơ" in words:
        return "dossiers"
    if regex.search(r"nhiệmvụ|đơnvị", words) and regex.search(r"kếhoạch|hoànthành|đượcgiao", words):
        return "plans"
    if "tiêuchí" in words or "tỷlệ" in words:
        return "criteria"
    return None


@dataclass
class _Table:
    """A table being read: its column labels and where its name and field stand."""

    labels: list[str]
    folded: list[str]
    name_col: int
    field_col: int | None
    index: int
    out: list[Indicator] = dataclass_field(default_factory=list)

    def add(self, name: str, value: float, row_no: int, col: int, procedure: str | None, field: str | None,
            role: str) -> None:
        self.out.append(Indicator(indicator=name, value=value, field=field, procedure=procedure,
                                  table=self.index, row=row_no, col=col, group=f"t:{self.index}",
                                  role=role, source="table"))


def _merged(body: list[list[str]], first_data: int, name_col: int) -> list[tuple[int, list[str]]]:
    """Rows, a row split by a page break joined again (a row without a
    serial number whose only content is text in the name column)."""
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
    return merged


def _dossier_row(t: _Table, row_no: int, r: list[str], name: str | None, field: str | None, role: str) -> None:
    """One row of a dossier table: a procedure's, or a breakdown's ("Mức
    độ 3", "Cấp huyện", a unit: the row label is the field)."""
    procedure = name
    if name and _BREAKDOWN_LABEL.match(name.strip()):
        procedure, field = None, field or name
    for j, ind in _map_columns(t.labels).items():
        v = _num(r[j]) if j < len(r) else None
        if v is not None:
            t.add(ind, v, row_no, j, procedure, field, role)


def _plans_row(t: _Table, row_no: int, r: list[str], name: str | None) -> None:
    """One row of a plans table: tasks (or, for an inspection plan, units)
    planned or assigned, and done; tasks under way give no row."""
    inspection = name is not None and "kiểmtra" in _tight(name)
    cols = [j for j, l in enumerate(t.folded) if ("nhiệmvụ" in l or "đơnvị" in l) and not regex.search(r"đang|chưa", l)]
    done = [j for j in cols if "hoànthành" in t.folded[j]]
    for j in cols:
        v = _num(r[j])
        if v is None:
            continue
        if j in done:
            t.add("inspection.units_inspected" if inspection else "plan.tasks_done", v, row_no, j, None, name, "single")
        else:
            t.add("inspection.units_planned" if inspection else "plan.tasks", v, row_no, j, None, name, "single")


def _criteria_row(t: _Table, row_no: int, r: list[str], name: str | None) -> None:
    """One row of a criteria table: the count and the rate of its criterion."""
    criterion = _criterion(name or "")
    if criterion is None:
        return
    count, rate = criterion
    for j, l in enumerate(t.folded):
        v = _num(r[j]) if j != t.name_col else None
        if v is None:
            continue
        if "tỷlệ" in l or "%" in l:
            t.add(rate, v, row_no, j, None, None, "single")
        elif "tổngsố" in l or l == "sốlượng":
            t.add(count, v, row_no, j, None, None, "single")
    for j, l in enumerate(t.folded):
        if "ghichú" in l and count == "procedures.online":
            m = regex.search(r"(\d+)\s*[Mm]ức\s*độ\s*4", r[j])
            if m:
                t.add("procedures.online.level4", int(m.group(1)), row_no, j, None, None, "single")


def table_indicators(rows: list[list[str]], table_index: int, title: str | None = None) -> list[Indicator]:
    """The indicators one table states."""
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]
    first_data = next((i for i, r in enumerate(rows) if _is_data_row(r)), None)
    if first_data is None or first_data == 0:
        return []
    labels = _labels(rows[:first_data], width)
    folded = [_tight(l) for l in labels]
    name_col = next((j for j, l in enumerate(folded) if regex.search(
        r"tên(?:tthc|thủtục)|thủtụchànhchính|kếhoạch$|^kếhoạch|tiêuchí|nộidung|cơquan|đơnvị$|^đơnvị", l)),
        1 if width > 1 else 0)
    field_col = next((j for j, l in enumerate(folded) if l.startswith("lĩnhvực")), None)
    t = _Table(labels, folded, name_col, field_col, table_index)
    kind = _table_kind(folded, title)
    for row_no, r in _merged(rows[first_data:], first_data, name_col):
        is_total = any(_TOTAL.match(fold(c)) for c in r[:name_col + 1] if c)
        name = None if is_total else (r[name_col] or None)
        field = None if is_total or field_col is None else (r[field_col] or None)
        if kind == "dossiers":
            _dossier_row(t, row_no, r, name, field, "total" if is_total else "part")
        elif kind == "plans":
            _plans_row(t, row_no, r, name)
        elif kind == "criteria":
            _criteria_row(t, row_no, r, name)
    return t.out
