"""Human names and units of the indicator vocabulary (../shared/spec/indicators.md),
in Vietnamese and English, for charts, the notebook and reports.

>>> label("dossiers.received"), unit("dossiers.received"), unit("rate.on_time")
('Dossiers received', 'dossiers', '%')
>>> label("dossiers.received", "vi")
'Hồ sơ tiếp nhận'
"""
from __future__ import annotations

import pandas as pd

# indicator: (English, Vietnamese, unit in English, unit in Vietnamese)
LABELS: dict[str, tuple[str, str, str, str]] = {
    "dossiers.received": ("Dossiers received", "Hồ sơ tiếp nhận", "dossiers", "hồ sơ"),
    "dossiers.new": ("Dossiers newly received", "Hồ sơ mới tiếp nhận", "dossiers", "hồ sơ"),
    "dossiers.carried_over": ("Dossiers carried over", "Hồ sơ kỳ trước chuyển qua", "dossiers", "hồ sơ"),
    "dossiers.received.online": ("Dossiers received online", "Hồ sơ tiếp nhận trực tuyến", "dossiers", "hồ sơ"),
    "dossiers.received.offline": ("Dossiers received in person or by post",
                                  "Hồ sơ tiếp nhận trực tiếp, qua bưu chính", "dossiers", "hồ sơ"),
    "dossiers.registered": ("Dossiers registered online", "Hồ sơ đăng ký trên hệ thống", "dossiers", "hồ sơ"),
    "dossiers.awaiting_intake": ("Dossiers awaiting intake", "Hồ sơ chờ tiếp nhận", "dossiers", "hồ sơ"),
    "dossiers.resolved": ("Dossiers resolved", "Hồ sơ đã giải quyết", "dossiers", "hồ sơ"),
    "dossiers.resolved.early": ("Dossiers resolved early", "Hồ sơ giải quyết trước hạn", "dossiers", "hồ sơ"),
    "dossiers.resolved.on_time": ("Dossiers resolved on time", "Hồ sơ giải quyết đúng hạn", "dossiers", "hồ sơ"),
    "dossiers.resolved.in_time": ("Dossiers resolved early or on time", "Hồ sơ giải quyết trước và đúng hạn",
                                  "dossiers", "hồ sơ"),
    "dossiers.resolved.late": ("Dossiers resolved late", "Hồ sơ giải quyết quá hạn", "dossiers", "hồ sơ"),
    "dossiers.pending": ("Dossiers pending", "Hồ sơ đang giải quyết", "dossiers", "hồ sơ"),
    "dossiers.pending.within_deadline": ("Dossiers pending within deadline", "Hồ sơ đang giải quyết trong hạn",
                                         "dossiers", "hồ sơ"),
    "dossiers.pending.overdue": ("Dossiers pending overdue", "Hồ sơ đang giải quyết quá hạn", "dossiers", "hồ sơ"),
    "dossiers.digitized": ("Dossiers digitised", "Hồ sơ được số hóa", "dossiers", "hồ sơ"),
    "procedures.total": ("Procedures under the agency", "Tổng số thủ tục hành chính", "procedures", "thủ tục"),
    "procedures.published": ("Procedures publicly posted", "Thủ tục được công khai", "procedures", "thủ tục"),
    "procedures.one_stop": ("Procedures at the one-stop desk", "Thủ tục theo cơ chế một cửa", "procedures",
                            "thủ tục"),
    "procedures.online": ("Procedures offered online", "Thủ tục có dịch vụ công trực tuyến", "procedures",
                          "thủ tục"),
    "procedures.online.level3": ("Procedures online at level 3", "Dịch vụ công trực tuyến mức độ 3",
                                 "procedures", "thủ tục"),
    "procedures.online.level4": ("Procedures online at level 4", "Dịch vụ công trực tuyến mức độ 4",
                                 "procedures", "thủ tục"),
    "procedures.new": ("Procedures announced new", "Thủ tục ban hành mới", "procedures", "thủ tục"),
    "procedures.amended": ("Procedures amended", "Thủ tục sửa đổi, bổ sung", "procedures", "thủ tục"),
    "procedures.abolished": ("Procedures abolished", "Thủ tục bãi bỏ", "procedures", "thủ tục"),
    "procedures.reviewed": ("Procedures reviewed", "Thủ tục được rà soát", "procedures", "thủ tục"),
    "plan.tasks": ("Reform plan tasks", "Nhiệm vụ trong kế hoạch", "tasks", "nhiệm vụ"),
    "plan.tasks_done": ("Reform plan tasks completed", "Nhiệm vụ hoàn thành", "tasks", "nhiệm vụ"),
    "inspection.units_planned": ("Units in the inspection plan", "Đơn vị trong kế hoạch kiểm tra", "units",
                                 "đơn vị"),
    "inspection.units_inspected": ("Units inspected", "Đơn vị được kiểm tra", "units", "đơn vị"),
    "feedback.received": ("Feedback on regulations received", "Phản ánh, kiến nghị tiếp nhận", "items",
                          "phản ánh"),
    "feedback.resolved": ("Feedback on regulations handled", "Phản ánh, kiến nghị đã xử lý", "items", "phản ánh"),
    "complaints.received": ("Complaints and denunciations received", "Đơn thư khiếu nại, tố cáo", "complaints",
                            "đơn thư"),
    "staff.trained": ("Officials trained", "Lượt cán bộ được đào tạo", "people", "người"),
    "par_index.score": ("PAR index score", "Điểm chỉ số cải cách hành chính", "points", "điểm"),
    "par_index.rank": ("PAR index rank", "Xếp hạng chỉ số cải cách hành chính", "rank", "hạng"),
    "rate.on_time": ("Share of dossiers resolved early or on time", "Tỷ lệ hồ sơ giải quyết trước và đúng hạn",
                     "%", "%"),
    "rate.published": ("Share of procedures publicly posted", "Tỷ lệ thủ tục được công khai", "%", "%"),
    "rate.one_stop": ("Share of procedures through the one-stop desk", "Tỷ lệ thủ tục theo cơ chế một cửa", "%", "%"),
    "rate.online": ("Share of procedures offered online", "Tỷ lệ thủ tục có dịch vụ công trực tuyến", "%", "%"),
    "rate.received_online": ("Share of dossiers received online", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "%", "%"),
    "rate.late": ("Share of dossiers resolved late", "Tỷ lệ hồ sơ quá hạn", "%", "%"),
    "rate.online_level4": ("Share of procedures online at level 4", "Tỷ lệ dịch vụ công mức độ 4", "%", "%"),
    "rate.digitized": ("Share of dossiers or results digitised", "Tỷ lệ số hóa hồ sơ, kết quả", "%", "%"),
    "rate.digitized_intake": ("Share of dossiers digitised at intake", "Tỷ lệ số hóa hồ sơ khi tiếp nhận", "%", "%"),
    "rate.digitized_result": ("Share of results digitised", "Tỷ lệ số hóa kết quả giải quyết", "%", "%"),
    "rate.survey": ("Share of dossiers with a satisfaction survey", "Tỷ lệ hồ sơ được khảo sát hài lòng", "%", "%"),
    "rate.plan_done": ("Share of plan tasks completed", "Tỷ lệ hoàn thành kế hoạch", "%", "%"),
    "rate.reviewed": ("Share of procedures reviewed as planned", "Tỷ lệ thủ tục được rà soát", "%", "%"),
    "rate.it_use": ("Share of staff or units using IT", "Tỷ lệ ứng dụng công nghệ thông tin", "%", "%"),
}

# the count a stated rate is a share of: its weight when rates of several
# reports are averaged
RATE_BASES = {
    "rate.on_time": "dossiers.resolved", "rate.late": "dossiers.resolved",
    "rate.received_online": "dossiers.received", "rate.survey": "dossiers.resolved",
    "rate.digitized": "dossiers.received", "rate.digitized_intake": "dossiers.received",
    "rate.digitized_result": "dossiers.resolved",
    "rate.published": "procedures.total", "rate.one_stop": "procedures.total",
    "rate.online": "procedures.total", "rate.online_level4": "procedures.total",
    "rate.reviewed": "procedures.total", "rate.plan_done": "plan.tasks",
}

PERIOD_NAMES = {"year": ("year", "năm"), "half": ("half-year", "6 tháng"), "quarter": ("quarter", "quý"),
                "nine_months": ("nine months", "9 tháng"), "month": ("month", "tháng")}


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` and its noun: "1 report", "2 reports", "3 copies".

    >>> counted(1, "page"), counted(3, "copy", "copies")
    ('1 page', '3 copies')
    """
    return f"{n} {one if n == 1 else many or one + 's'}"


def is_rate(indicator: str) -> bool:
    """Whether ``indicator`` is a percentage (never to be summed)."""
    return indicator.startswith("rate.")


def label(indicator: str, lang: str = "en") -> str:
    """The indicator's name in ``lang`` ("en" or "vi"); the id itself when unknown."""
    entry = LABELS.get(indicator)
    return indicator if entry is None else entry[0 if lang == "en" else 1]


def unit(indicator: str, lang: str = "en") -> str:
    """What the indicator counts in ("dossiers", "%", ...)."""
    if is_rate(indicator):
        return "%"
    entry = LABELS.get(indicator)
    return "" if entry is None else entry[2 if lang == "en" else 3]


def period_label(kind, year, index) -> str:
    """A report's period for an axis: "2019", "H1 2017", "Q3 2020", "9M 2020", "05/2019".

    >>> period_label("quarter", 2020, 3), period_label("half", 2017, 1), period_label("year", 2019, None)
    ('Q3 2020', 'H1 2017', '2019')
    """
    def num(v):
        return None if v is None or v is pd.NA or v != v else int(v)  # NaN or NA from a frame: missing
    year, index = num(year), num(index)
    y = "?" if year is None else str(year)
    if kind == "half" and index:
        return f"H{index} {y}"
    if kind == "quarter" and index:
        return f"Q{index} {y}"
    if kind == "nine_months":
        return f"9M {y}"
    if kind == "month" and index:
        return f"{index:02d}/{y}"
    return y if kind == "year" else f"{kind or 'period'} {y}"
