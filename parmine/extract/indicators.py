"""Quantities → reform indicators (indicators.md), from prose.

Each quantity is read with its context:

- the **label** it answers ("Số lượng hồ sơ đã giải quyết: 17",
  "trực tuyến: 5") or the words around it ("tiếp nhận 34 bộ hồ sơ",
  "11 hồ sơ nộp trực tuyến");
- the **counted noun** after it ("hồ sơ", "thủ tục"/"TTHC", "nhiệm vụ",
  "đơn vị", "công chức") or in its label;
- the **parent** statement of a list ("Số lượng hồ sơ đang giải quyết: 7;
  trong đó, trong hạn: 7, quá hạn: 0" — "quá hạn" under "đang giải quyết"
  is pending and overdue, not resolved late);
- the **field** of a breakdown ("- Lĩnh vực An toàn bức xạ hạt nhân: 12
  hồ sơ" under "tiếp nhận 34 bộ hồ sơ ..., bao gồm:").

Only facts are kept: a clause with a target or instruction ("sẽ",
"phấn đấu", "hướng tới", "đảm bảo 100% ..." without "đã", "nâng ... lên
80%", "cần rà soát") or in a plans-ahead section ("Phương hướng, nhiệm
vụ ...") gives no row.  Counts that are not reform indicators (website
visits, appointments, graduates) give no row either.  "x/y" gives two rows:
x under the phrase's indicator and y under its total.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..text.normalize import fold
from ..text.sentences import Sentences
from .quantities import find_quantities
from .records import Indicator, Quantity, Section

# -- context windows ---------------------------------------------------------
_CLAUSE_BREAK = regex.compile(r"[;()\n]|,(?!\s*(?:một cửa|tố cáo|kiến nghị|giấy tờ|thẩm tra|đơn giản))|\btrong đó\b|\bbao gồm\b")
_TARGET = regex.compile(
    r"\b(?:sẽ|phấn đấu|hướng tới|hướng đến|dự kiến|mục tiêu|chỉ tiêu|cần|"
    r"lên\s+\d|yêu cầu)\b")
_ENSURE = regex.compile(r"\b(?:đảm bảo|bảo đảm)\b")
_PLAN_SECTION = regex.compile(
    r"^(?:phương hướng|nhiệm vụ|kế hoạch (?:hoạt động|công tác)|đề xuất|kiến nghị|giải pháp)")
_FIELD_ITEM = regex.compile(r"^\s*[-+•]?\s*[Ll]ĩnh vực\s+(?P<f>[^:\n]+?)\s*:?\s*(?=\d)", regex.M)


@dataclass(frozen=True)
class _Ctx:
    label: str      # the words the number answers (folded)
    near: str       # the clause around the number (folded)
    sentence: str   # the whole sentence (folded)
    parent: str     # the lead-in of a "trong đó"/"bao gồm" list (folded)
    noun: str       # the counted noun (folded) or ""


def _clause(sents: Sentences, s: int, e: int) -> tuple[int, int]:
    """Bounds of the clause around text[s:e] (commas, semicolons, brackets)."""
    text = sents.text
    lo, hi = sents.span(s, e)
    left = lo
    for m in _CLAUSE_BREAK.finditer(text, lo, s):
        left = m.end()
    m = _CLAUSE_BREAK.search(text, e, hi)
    right = m.start() if m else hi
    return left, right


_LABEL_START = regex.compile(r"[;()\n]|trong\s+đó\s*,?|\d\s*,|^")


def _label(text: str, s: int) -> str:
    """"Số lượng hồ sơ đã giải quyết: 17" → the words before the colon;
    "trong đó, giải quyết trước hạn: 17, đúng hạn: 0" → "đúng hạn" for 0."""
    window = text[max(0, s - 160):s]
    m = regex.search(r":\s*$", window)
    if not m:
        return ""
    head = window[:m.start()]
    starts = [x.end() for x in _LABEL_START.finditer(head)]
    return head[starts[-1] if starts else 0:].strip(" ,-+")


_DIGITS = regex.compile(r"(?<!mức độ\s{0,2}|cấp độ\s{0,2}|\d)\d")


def _near(text: str, q: Quantity, cs: int, ce: int) -> str:
    """The clause around a number, cut at the numbers before and after it
    ("1265 hồ sơ đang giải quyết và 3748 hồ sơ ..." → "1265 hồ sơ đang giải quyết và")."""
    left = cs
    for m in _DIGITS.finditer(text, cs, q.start):
        left = m.end()
    m = _DIGITS.search(text, q.end, ce)
    right = m.start() if m else ce
    return text[left:right]


def _field_after(text: str, q: Quantity, se: int) -> str | None:
    """"03 thủ tục thuộc lĩnh vực hoạt động khoa học công nghệ và ..." → the field."""
    m = regex.compile(r"thuộc\s+lĩnh\s+vực\s+(?P<f>.+?)(?=\s+và\s|[,;.(]|$)").search(text, q.end, se)
    if m and not _DIGITS.search(text, q.end, m.start()) or (
            m and regex.fullmatch(r"[^;]*", text[q.end:m.start()])):
        return m.group("f").strip()
    return None


_FAMILY_NOUNS = [
    ("dossiers", regex.compile(r"hồ sơ")),
    ("procedures", regex.compile(r"thủ tục|tthc|dịch vụ công|dvc")),
    ("feedback", regex.compile(r"phản ánh")),
    ("complaints", regex.compile(r"đơn thư|khiếu nại|tố cáo")),
    ("tasks", regex.compile(r"nhiệm vụ|nội dung")),
    ("units", regex.compile(r"đơn vị|phòng|cơ quan")),
    ("staff", regex.compile(r"công chức|viên chức|cán bộ|ccvc|cbcc|\bvc\b|đ/c|lượt")),
    ("documents", regex.compile(r"văn bản|quyết định|kế hoạch|tin|ảnh|giải pháp")),
]


def _family(noun: str, label: str) -> str | None:
    for source in (noun, label):
        if not source:
            continue
        hits = [(m.start(), fam) for fam, rx in _FAMILY_NOUNS for m in [rx.search(source)] if m]
        if hits:
            return min(hits)[1]
    return None


def _dossier(words: str, parent: str) -> str | None:
    """The dossiers.* indicator that ``words`` describe."""
    w = words
    if "chờ tiếp nhận" in w:
        return "dossiers.awaiting_intake"
    if "đăng ký" in w and "hệ thống" in w:
        return "dossiers.registered"
    if "số hóa" in w:
        return "dossiers.digitized"
    if "kỳ trước" in w or "chuyển qua" in w or "chuyển sang" in w or "tồn" in w.split():
        return "dossiers.carried_over"
    if "mới tiếp nhận" in w or "tiếp nhận mới" in w:
        return "dossiers.new"
    if "trực tuyến" in w:
        return "dossiers.received.online"
    if "trực tiếp" in w or "bưu chính" in w:
        return "dossiers.received.offline"
    pending = "đang giải quyết" in parent or "đang xử lý" in parent
    if "chưa đến hạn" in w or "trong hạn" in w:
        return "dossiers.pending.within_deadline" if pending or "chưa đến hạn" in w else None
    if "quá hạn" in w or "trễ hạn" in w or "trễ hẹn" in w:
        return "dossiers.pending.overdue" if pending else "dossiers.resolved.late"
    if "trước hạn" in w:
        return "dossiers.resolved.early"
    if "đúng hạn" in w:
        return "dossiers.resolved.on_time"
    if "đang giải quyết" in w or "đang xử lý" in w:
        return "dossiers.pending"
    if "giải quyết" in w or "xử lý" in w:
        return "dossiers.resolved"
    if "tiếp nhận" in w or "nhận" in w.split() or "nộp" in w:
        return "dossiers.received"
    return None


# Ordered phrase rules: the first indicator one of whose phrases the words
# contain wins ("Số TTHC mới ban hành" → procedures.new).  A phrase is either
# a string, or a tuple of strings that must all be present.
PROCEDURE_RULES = (
    ("procedures.abolished", ("hủy bỏ", "huỷ bỏ", "bãi bỏ")),
    ("procedures.new", (("mới", "ban hành"), ("mới", "công bố"))),
    ("procedures.amended", ("sửa đổi", "thay thế", "bổ sung")),
    ("procedures.reviewed", ("rà soát",)),
    ("procedures.online.level4", ("mức độ 4",)),
    ("procedures.online.level3", ("mức độ 3",)),
    ("procedures.online", ("trực tuyến", "mức độ 2")),
    ("procedures.one_stop", ("một cửa",)),
    ("procedures.published", ("công khai", "công bố", "niêm yết")),
    ("procedures.total", ("tổng số", "thuộc thẩm quyền", "đang thực hiện")),
)
RATE_RULES = (
    ("rate.digitized_intake", (("số hóa", "khi tiếp nhận"),)),
    ("rate.digitized_result", (("số hóa", "khi trả kết quả"),)),
    ("rate.digitized", ("số hóa",)),
    ("rate.survey", ("khảo sát", "hài lòng")),
    ("rate.on_time", ("đúng hạn", "trước hạn", "sớm hạn")),
    ("rate.online_level4", ("mức độ 4",)),
    ("rate.reviewed", ("rà soát",)),
    ("rate.plan_done", (("kế hoạch", "hoàn thành"),)),
    ("rate.one_stop", ("một cửa", "hành chính công", "tiếp nhận và trả kết quả")),
    ("rate.published", ("công khai", "công bố", "niêm yết")),
    ("rate.online", ("trực tuyến", "môi trường điện tử")),
    ("rate.it_use", ("công nghệ thông tin", "eoffice", "phần mềm", "chữ ký số", "thư điện tử")),
)


def first_rule(words: str, rules) -> str | None:
    """The first rule's indicator one of whose phrases ``words`` contains.

    >>> first_rule("thủ tục hành chính bị hủy bỏ: 06", PROCEDURE_RULES)
    'procedures.abolished'
    """
    for name, phrases in rules:
        for p in phrases:
            if (all(x in words for x in p) if isinstance(p, tuple) else p in words):
                return name
    return None


def _procedure(words: str) -> str | None:
    """"Thủ tục hành chính sửa đổi: 07 thủ tục" → procedures.amended.  A
    count of procedures "liên thông" or still to be reviewed ("cần rà soát")
    has no indicator."""
    if "liên thông" in words and "một cửa" in words and "một cửa," not in words:
        return None
    # "mới" (new) only as a word of its own, not inside "đổi mới"
    rules = PROCEDURE_RULES if "mới" in words.split() else \
        tuple(r for r in PROCEDURE_RULES if r[0] != "procedures.new")
    name = first_rule(words, rules)
    if name == "procedures.reviewed" and "cần" in words.split():
        return None
    return name


def _rate(words: str) -> str | None:
    """"Tỷ lệ hồ sơ giải quyết đúng hạn đạt 97%" → rate.on_time."""
    return first_rule(words.replace("số hoá", "số hóa"), RATE_RULES)


def _is_target(before: str) -> bool:
    """A target, plan or instruction rather than a fact ("sẽ", "phấn đấu",
    "đảm bảo 100%" unless "đã" comes first)."""
    if _TARGET.search(before):
        return True
    m = None
    for m in _ENSURE.finditer(before):
        pass
    return bool(m) and "đã" not in before[:m.start()].split()


def _training_field(clause: str) -> str | None:
    """"02 công chức học cao cấp LLCT" → "cao cấp LLCT"."""
    c = regex.sub(r"\([^)]*\)?", "", clause).strip(" .;,")
    for trigger in (r"lớp\s+bồi\s+dưỡng", r"học\s+bồi\s+dưỡng", r"(?<!tham\s+gia\s)bồi\s+dưỡng",
                    r"\bhọc", r"tham\s+gia(?:\s+lớp)?"):
        m = regex.search(trigger + r"\s+(?P<f>\S.*)$", c)
        if m:
            return m.group("f").strip(" .;,") or None
    return None


def _plan_field(sentence: str) -> str | None:
    """"Kế hoạch số 04/KH-X ngày ... về thông tin tuyên truyền CCHC năm 2019" → the subject."""
    m = regex.search(r"Kế hoạch[^,;]*?\bvề\s+(?P<s>[^,;]+?)(?:\s+năm\s+\d{4})?\s*(?:[,;]|$)", sentence)
    return m.group("s").strip() if m else None


def _group_key(sents: Sentences, q: Quantity) -> tuple[str, int]:
    """Statements are grouped by their sentence, and a list by its lead-in."""
    s, _ = sents.span(q.start)
    return f"p:{s}", s


def find_indicators(text: str, quantities: list[Quantity] | None = None,
                    sections: list[Section] | None = None, sentences: Sentences | None = None) -> list[Indicator]:
    r"""Prose indicators of ``text`` (tables: :mod:`parmine.extract.tables`).

    >>> [(i.indicator, i.value, i.field) for i in find_indicators(
    ...     "Sở đã tiếp nhận 15 hồ sơ, bao gồm:\n- Lĩnh vực Đất đai: 9 hồ sơ.\n- Lĩnh vực Xây dựng: 6 hồ sơ.")]
    [('dossiers.received', 15, None), ('dossiers.received', 9, 'Đất đai'), ('dossiers.received', 6, 'Xây dựng')]
    """
    from .sections import parse_sections

    sents = sentences or Sentences(text)
    quantities = find_quantities(text, sentences=sents) if quantities is None else quantities
    sections = parse_sections(text) if sections is None else sections
    plan_spans = [(s.start, s.end) for s in sections
                  if s.kind == "body" and s.level == 1 and _PLAN_SECTION.search(fold(s.title))]
    out: list[Indicator] = []
    lead: Indicator | None = None  # the total a "bao gồm:" list breaks down
    lead_family: str | None = None  # the family of a "trong đó:" list's lead-in
    for q in quantities:
        if any(a <= q.start < b for a, b in plan_spans):
            continue
        line_start = text.rfind("\n", 0, q.start) + 1
        item = _FIELD_ITEM.match(text, line_start)
        if item and item.end() <= q.start + 1 and lead is not None and q.kind == "count":
            out.append(Indicator(indicator=lead.indicator, value=q.value, field=item.group("f").strip(),
                                 start=q.start, end=q.end, text=q.text,
                                 sentence=text[line_start:text.find("\n", q.start) % (len(text) + 1)],
                                 group=lead.group, role="part"))
            continue
        rows = _read(sents, q, lead_family)
        out.extend(rows)
        if rows:
            ss, se = sents.span(q.start)
            lead_family = rows[0].indicator.split(".")[0] if text[ss:se].rstrip().endswith(":") \
                else (lead_family if item or regex.match(r"\s*[-+•]", text[line_start:q.start]) else None)
            lead_family = {"dossiers": "dossiers", "procedures": "procedures"}.get(lead_family or "")
            if text[ss:se].rstrip().endswith(":"):
                lead = next((r for r in out if r.group == rows[0].group), rows[0])
                lead = Indicator(**{**lead.__dict__, "role": "total"}) if lead.role != "total" else lead
            elif not item:
                lead = None
    return out


# the lead-in of a "trong đó" list: "Tổng số 34 hồ sơ, trong đó: ..."
_TRONG_DO = regex.compile(r"([^\n]*?)(?:;|,)?\s*trong\s+đó\s*[,:]?[^\n]*$")


def _read(sents: Sentences, q: Quantity, lead_family: str | None = None) -> list[Indicator]:
    text = sents.text
    ss, se = sents.span(q.start, q.end)
    cs, ce = _clause(sents, q.start, q.end)
    sentence = fold(text[ss:se])
    label = fold(_label(text, q.start))
    colon = text.rfind(":", ss, q.start)
    before = fold(text[colon + 1 if colon >= 0 and not label else ss:q.start])
    if _is_target(label + " " + before):
        return []
    near = fold(_near(text, q, cs, ce))
    noun = fold(q.noun or "")
    # the lead-in of a "trong đó" list on the same line or the line above
    parent = ""
    lead = _TRONG_DO.search(text, ss, q.start) if "trong" in text[ss:q.start] else None
    if lead:
        parent = fold(lead.group(1))
    words = " ".join(x for x in (label, near) if x)
    group, _ = _group_key(sents, q)

    def row(name: str, value, role="single", field=None) -> Indicator:
        return Indicator(indicator=name, value=value, field=field, start=q.start, end=q.end,
                         text=q.text, sentence=text[ss:se], group=group, role=role)

    if q.kind == "absence":
        scope = fold(q.text) if q.text.lower() != "không" else label
        if regex.search(r"trễ hạn|trễ hẹn|quá hạn", scope) and regex.search(r"hồ sơ|tthc|thủ tục|trường hợp", scope):
            return [row("dossiers.resolved.late", 0)]
        if regex.search(r"đơn thư|khiếu nại|tố cáo", scope) and "nhận" in fold(q.text) + scope:
            return [row("complaints.received", 0)]
        if "phản ánh" in scope:
            if "đang" in scope.split():
                return []
            if "xử lý" in scope or "giải quyết" in scope:
                return [row("feedback.resolved", 0)]
            return [row("feedback.received", 0)]  # "không có phản ánh, kiến nghị"
        return []

    if q.kind == "percent":
        if regex.search(r"\bđến\s*$", fold(text[cs:q.start])):
            return []  # "phổ biến đến 100% công chức": reach, not a result
        prev_clause = fold(text[_clause(sents, cs - 1, cs - 1)[0]:cs]) if cs > ss else ""
        name = _rate(fold(text[cs:ce])) or (_rate(prev_clause) if text[cs - 1:cs] == "(" else None) \
            or _rate(label) or _rate(sentence)
        if name is None:
            return []
        field = _plan_field(text[ss:se]) if name == "rate.plan_done" else None
        return [row(name, q.value, field=field)]

    if q.kind == "decimal":
        if "điểm" in noun and regex.search(r"chỉ số|par index|xếp hạng|vị trí", sentence):
            return [row("par_index.score", q.value)]
        return []

    # counts and ratios
    if regex.search(r"vị trí thứ\s*$|xếp thứ\s*$|xếp hạng\s*$|hạng\s*$", fold(text[max(0, q.start - 15):q.start])) \
            and regex.search(r"chỉ số|par index|cchc", sentence):
        return [row("par_index.rank", q.value)]
    fam = _family(noun, label) or _family(fold(text[q.end:ce]), "") or lead_family \
        or (_family(sentence, "") if label or parent else None)
    local = words
    if fam == "dossiers":
        # the label, then the words after the number, then those before it
        after, before_words = near[near.find(fold(q.text)):], near[:near.find(fold(q.text))]
        name = (_dossier(label, parent) if label else None) or _dossier(after, parent) \
            or _dossier(before_words, parent)
        if name is None and not label:
            name = _dossier(fold(text[cs:q.start]), parent)
        if name is None:
            return []
        if q.kind == "ratio":
            return [row(name, q.value, "part"), row("dossiers.received", q.denominator, "total")]
        return [row(name, q.value, _role(name, text, q, ce))]
    if fam == "procedures":
        if regex.search(r"theo kế hoạch", fold(text[q.end:ce])) or "không" in fold(text[q.end:ce]).split()[:3]:
            return []
        name = _procedure(label or near)
        if name is None:
            return []
        if q.kind == "ratio":
            return [row(name, q.value, "part"), row("procedures.total", q.denominator, "total")]
        return [row(name, q.value, field=_field_after(text, q, se))]
    if fam == "tasks":
        if ("kiểm tra" in sentence and "đơn vị" in sentence) or regex.search(r"\bcòn\s*$", before):
            return []  # units of an inspection; "còn một nhiệm vụ": what is left, not a count
        if q.kind == "ratio" and "hoàn thành" in local:
            return [row("plan.tasks_done", q.value, "part"), row("plan.tasks", q.denominator, "total")]
        if "hoàn thành" in fold(text[cs:q.start]):
            return [row("plan.tasks_done", q.value)]
        if "tổng số" in local or "kế hoạch" in sentence:
            return [row("plan.tasks", q.value, field=_plan_field(text[ss:se]))]
        return []
    if fam == "units" and "kiểm tra" in sentence:
        if q.kind == "ratio":
            return [row("inspection.units_inspected", q.value, "part"),
                    row("inspection.units_planned", q.denominator, "total")]
        if regex.search(r"đã\s+(?:hoàn thành|kiểm tra|tiến hành)", before):
            return [row("inspection.units_inspected", q.value)]
        return [row("inspection.units_planned", q.value)]
    if fam == "staff":
        semi = text.rfind(";", ss, q.start)
        end = text.find(";", q.end, se)
        clause = text[max(ss, semi + 1):end if end >= 0 else se]
        cs = max(ss, semi + 1)
        plain = fold(regex.sub(r"\([^)]*\)?", "", clause))
        if regex.search(r"\b(?:học|bồi dưỡng|đào tạo|tập huấn)\b", plain) and \
                not regex.search(r"tốt nghiệp|bổ nhiệm|tuyển dụng|nghỉ hưu|nâng lương", plain):
            return [row("staff.trained", q.value, field=_training_field(clause[q.end - cs:]))]
        return []
    return []


def _role(name: str, text: str, q: Quantity, clause_end: int) -> str:
    after = fold(text[q.end:q.end + 80])
    return "total" if regex.match(r"[^.;\n]{0,40}(?:trong đó|bao gồm|gồm)", after) else "single"
