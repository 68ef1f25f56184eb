"""Quantities → reform indicators (indicators.md), from prose.

A number is read as the grammar of a counting phrase puts it
(:class:`Reading`): the **label** it answers ("Số lượng hồ sơ đã giải quyết:
17"), its **counted noun** ("34 hồ sơ", "47 TTHC", "28/29 nhiệm vụ"), the
**verb frame** around it ("tiếp nhận", "trả trước và đúng hạn", "đã và đang
giải quyết", "quá hạn"), the **statement it breaks down** ("tiếp nhận 41.484
hồ sơ (trong đó cấp huyện là 12.932 …)", "Sở tiếp nhận 15 hồ sơ, bao gồm:"),
the **level or unit** a part belongs to (``field``: "cấp xã", "UBND huyện
Krông Năng (4.772 hồ sơ)", "thuộc thẩm quyền giải quyết của Công ty Điện lực",
"mức độ 3,4", "- Lĩnh vực Đất đai: 9") and the **share** a percentage is of
("trễ hạn là 951 hồ sơ (chiếm 5,16%)" → ``rate.late``).  A reader dispatches
by the quantity's kind and its noun's family to a small handler; the phrases
live in :mod:`parmine.extract.indicator_rules`.

Only facts are kept: a clause with a target or instruction ("sẽ", "phấn
đấu", "đảm bảo 100% …" without "đã", "nâng … lên 80%", "cần rà soát") or in a
plans-ahead section ("Phương hướng, nhiệm vụ …") gives no row; money
("150.000 đồng/hồ sơ"), dates, document and article numbers are never
counts (:mod:`parmine.extract.quantities` masks them); counts with no name in
the vocabulary (website visits, appointments, dossiers due or returned,
satisfaction) give no row.  "x/y" gives two rows: x under the phrase's
indicator and y under its total.  Approximate figures ("hơn 2.500", "gần
97%") count at the stated number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import regex

from ..text.normalize import fold
from ..text.sentences import Sentences
from .indicator_rules import (
    DOSSIER_RULES,
    FAMILIES,
    PENDING,
    PROCEDURE_RULES,
    RATE_RULES,
    RECEIVED_AND_RESOLVED,
    SHARE_OF,
)
from .phrases import Phrase, first_rule, matches
from .quantities import find_quantities
from .records import Indicator, Quantity, Section

# -- context windows ---------------------------------------------------------
# clauses end at ; ( ) and line breaks, "trong đó", "bao gồm", and at commas but those of
# a decimal ("mức độ 3,4") and those inside a name ("một cửa, một cửa liên thông")
_CLAUSE_BREAK = regex.compile(
    r"[;()\n]|,(?!(?<=\d,)\d)(?!\s*(?:một cửa|tố cáo|kiến nghị|giấy tờ|thẩm tra|đơn giản))|\btrong đó\b|\bbao gồm\b")
_TARGET = regex.compile(
    r"\b(?:sẽ|phấn đấu|hướng tới|hướng đến|dự kiến|mục tiêu|chỉ tiêu|cần|"
    r"lên\s+\d|yêu cầu)\b")
_ENSURE = regex.compile(r"\b(?:đảm bảo|bảo đảm)\b")
_PLAN_SECTION = regex.compile(
    r"^(?:phương hướng|nhiệm vụ|kế hoạch (?:hoạt động|công tác)|đề xuất|kiến nghị|giải pháp)")
_FIELD_ITEM = regex.compile(r"^\s*[-+•]?\s*[Ll]ĩnh vực\s+(?P<f>[^:\n]+?)\s*:?\s*(?=\d)", regex.M)
_LABEL_START = regex.compile(r"[;()\n]|trong\s+đó\s*,?|\d\s*,|^")
_JOINT = regex.compile(r"\s(?:và|hoặc)\s|,\s")
_DIGITS = regex.compile(r"(?<!mức độ\s{0,2}|cấp độ\s{0,2}|\d)\d")
# the lead-in of a "trong đó"/"gồm" breakdown: "Tổng số 34 hồ sơ, trong đó: ..."
_BREAKDOWN = regex.compile(r"\b(?:trong\s+đó|bao\s+gồm|gồm|như)\b\s*[,:]?")
_TRONG_DO = regex.compile(r"([^\n]*?)(?:;|,)?\s*trong\s+đó\s*[,:]?[^\n]*$")
_RANK = regex.compile(r"(?:vị trí thứ|xếp thứ|xếp hạng|hạng|đứng thứ)\s*$")
_SHARE_WORD = regex.compile(r"(?:chiếm|đạt|bằng)(?:\s+tỷ\s+lệ|\s+t\s+l)?\s*(?:khoảng|gần|hơn|trên)?\s*$")
_LEVEL = regex.compile(r"(?<!\p{L})(cấp\s+(?:tỉnh|huyện|xã|thành phố|trung ương|bộ|sở))(?!\p{L})", regex.I)
_OWNER = regex.compile(r"\s*\S+\s+(?:thuộc\s+)?(?:thẩm\s+quyền\s+(?:giải\s+quyết\s+)?)?của\s+"
                       r"(?P<f>[^;()\n]+?)(?=\s+và\s+\d|\s*,\s*\d|\s*[;()\n.]|$)")
_SERVICE_LEVEL = regex.compile(r"m\S{0,2}c\s+độ\s+(?P<n>\d(?:\s*(?:,|và|-)\s*\d)*)")
_NAME_BEFORE = regex.compile(r"(?:^|[:;,]|\bnhư|\bgồm|\bvà)\s*(?P<f>\p{Lu}[^:;,()\n]{1,80}?)\s*\(\s*$")
_SKIP = "-"


def _fam(words: str) -> str | None:
    """The family of the first counted noun ``words`` name ("th tc" too:
    letters lost in conversion)."""
    hits = []
    for name, nouns in FAMILIES:
        for noun in nouns:
            m = Phrase(noun).search(words) if len(noun) > 3 else \
                regex.search(rf"(?<!\p{{L}}){regex.escape(noun)}(?!\p{{L}})", words)
            if m:
                hits.append((m.start(), name))
    return min(hits)[1] if hits else None


@dataclass
class Reading:
    """What the words around one number say (folded text unless noted)."""

    q: Quantity
    text: str                     # the document (raw)
    ss: int                       # its sentence
    se: int
    cs: int                       # its clause
    ce: int
    label: str                    # "số lượng hồ sơ đã giải quyết" for "...: 17"
    before: str                   # the clause's words before the number
    after: str                    # the clause's words after it
    near: str                     # the clause cut at the numbers around it
    sentence: str
    parent: str                   # the lead-in of a "trong đó" list
    group: str
    rows: list[Indicator] = field(default_factory=list)

    @property
    def noun(self) -> str:
        return fold(self.q.noun or "")

    @cached_property
    def clause_before(self) -> str:
        """The clause's words before the number, from the clause's start
        (``before`` starts after a colon)."""
        return fold(self.text[self.cs:self.q.start])

    def row(self, name: str, value: float, role: str = "single", fld: str | None = None) -> Indicator:
        return Indicator(indicator=name, value=value, field=fld, start=self.q.start, end=self.q.end,
                         text=self.q.text, sentence=self.text[self.ss:self.se], group=self.group, role=role,
                         approximate=self.q.approximate)

    def pair(self, part: str, total: str) -> list[Indicator]:
        """"x/y": x under ``part``, y under ``total``."""
        assert self.q.denominator is not None  # a ratio's quantity always has one
        return [self.row(part, self.q.value, "part"), self.row(total, self.q.denominator, "total")]


def _clause(sents: Sentences, s: int, e: int) -> tuple[int, int]:
    """Bounds of the clause around text[s:e] (commas, semicolons, brackets)."""
    text = sents.text
    lo, hi = sents.span(s, e)
    left = lo
    for m in _CLAUSE_BREAK.finditer(text, lo, s):
        left = m.end()
    brk = _CLAUSE_BREAK.search(text, e, hi)
    return left, (brk.start() if brk else hi)


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


def _near(text: str, q: Quantity, cs: int, ce: int) -> str:
    """The clause around a number, cut at the numbers before and after it
    ("1265 hồ sơ đang giải quyết và 3748 hồ sơ ..." → "1265 hồ sơ đang giải quyết và"),
    and after the "và" or comma that closes the number before ("850 dịch vụ
    toàn trình và 800 dịch vụ một phần": the second is "800 dịch vụ một phần")."""
    left = cs
    for m in _DIGITS.finditer(text, cs, q.start):
        left = m.end()
    if left > cs:
        for joint in _JOINT.finditer(text, left, q.start):
            left = joint.end()
    nxt = _DIGITS.search(text, q.end, ce)
    if nxt is None:
        return text[left:ce]
    # "18.426 hồ sơ và giải quyết được 17.922": the words after "và" are the next number's
    right = nxt.start()
    for joint in _JOINT.finditer(text, q.end, right):
        right = joint.start()
    return text[left:right]


def read(sents: Sentences, q: Quantity) -> Reading:
    """The context of one quantity (see :class:`Reading`)."""
    text = sents.text
    ss, se = sents.span(q.start, q.end)
    cs, ce = _clause(sents, q.start, q.end)
    label = fold(_label(text, q.start))
    colon = text.rfind(":", ss, q.start)
    before = fold(text[colon + 1 if colon >= 0 and not label else ss:q.start])
    lead = _TRONG_DO.search(text, ss, q.start) if "trong" in text[ss:q.start] else None
    return Reading(q, text, ss, se, cs, ce, label, before, fold(text[q.end:ce]), fold(_near(text, q, cs, ce)),
                   fold(text[ss:se]), fold(lead.group(1)) if lead else "", f"p:{ss}")


def _is_target(before: str) -> bool:
    """A target, plan or instruction rather than a fact ("sẽ", "phấn đấu",
    "đảm bảo 100%" unless "đã" comes first)."""
    if _TARGET.search(before):
        return True
    last = None
    for last in _ENSURE.finditer(before):  # noqa: B007 -- the last match is wanted
        pass
    return last is not None and "đã" not in before[:last.start()].split()


# -- handlers, one per kind of fact ----------------------------------------------
def _absence(r: Reading) -> list[Indicator]:
    """A stated absence is a zero: "không có hồ sơ trễ hạn" → resolved late 0;
    "không nhận được đơn thư" → complaints 0; "không có phản ánh" → feedback 0."""
    scope = fold(r.q.text) if r.q.text.lower() != "không" else r.label
    if regex.search(r"trễ hạn|trễ hẹn|quá hạn", scope) and regex.search(r"hồ sơ|tthc|thủ tục|trường hợp", scope):
        return [r.row("dossiers.resolved.late", 0)]
    if regex.search(r"đơn thư|khiếu nại|tố cáo", scope) and "nhận" in fold(r.q.text) + scope:
        return [r.row("complaints.received", 0)]
    if "phản ánh" in scope:
        if "đang" in scope.split():
            return []
        if "xử lý" in scope or "giải quyết" in scope:
            return [r.row("feedback.resolved", 0)]
        return [r.row("feedback.received", 0)]
    return []


def _rate(words: str) -> str | None:
    name = first_rule(words.replace("số hoá", "số hóa"), RATE_RULES)
    return None if name == _SKIP else name


# what a reform rate is a share of, when no "tỷ lệ" names it (folded text)
_REFORM_OBJECT = regex.compile(r"hồ sơ|thủ tục|tthc|th tc|dịch vụ công|dvc|nhiệm vụ|kế hoạch|công chức|viên chức|"
                               r"cán bộ|ccvc|cbcc|văn bản|đơn vị|cơ quan|chỉ số|phản ánh|kiến nghị|trực tuyến|"
                               r"một cửa|người dân|tổ chức, cá nhân")


def _percent(r: Reading, shared: Indicator | None) -> list[Indicator]:
    """A percentage: the share of the count it follows ("trễ hạn là 951 hồ sơ
    (chiếm 5,16%)" → rate.late), else the rate its words name ("tỷ lệ hồ sơ
    giải quyết đúng hạn đạt 97%" → rate.on_time; "Sở Tư pháp (hơn 10%)" in
    a list on late dossiers → rate.late with the department as field)."""
    text, q = r.text, r.q
    if regex.search(r"\bđến\s*$", fold(text[r.cs:q.start])):
        return []  # "phổ biến đến 100% công chức": reach, not a result
    if shared is not None:
        name = SHARE_OF.get(shared.indicator)
        return [r.row(name, q.value, fld=shared.field)] if name else []
    clause = fold(text[r.cs:r.ce])
    rate_phrase = regex.search(r"(?:tỷ lệ|t l)\b[^%]*$", fold(text[r.ss:q.start]))
    if rate_phrase:  # "tỷ lệ giải quyết … 100%": the words of the rate decide
        name = _rate(rate_phrase.group(0) + " " + r.after)
    else:
        prev = fold(text[_clause_start(r) : r.cs]) if text[r.cs - 1:r.cs] == "(" else ""
        if not _REFORM_OBJECT.search(" ".join((clause, prev, r.label, r.parent))):
            return []  # "được hỗ trợ bằng 80% giá đất": a share of something the reform does not count
        name = _rate(clause) or _rate(prev) or _rate(r.label) or _rate(r.sentence)
    if name is None:
        return []
    fld = _plan_field(text[r.ss:r.se]) if name == "rate.plan_done" else _name_before(text, r)
    return [r.row(name, q.value, fld=fld)]


def _clause_start(r: Reading) -> int:
    lo = r.text.rfind("\n", 0, max(0, r.cs - 1)) + 1
    for m in _CLAUSE_BREAK.finditer(r.text, max(lo, r.ss), r.cs - 1):
        lo = m.end()
    return max(lo, r.ss)


def _decimal(r: Reading) -> list[Indicator]:
    """"đạt 74,72 điểm" in a sentence on the reform index → par_index.score."""
    if "điểm" in r.noun and regex.search(r"chỉ số|par index|xếp hạng|vị trí", r.sentence):
        return [r.row("par_index.score", r.q.value)]
    return []


def _dossier(words: str, parent: str) -> str | None:
    """The dossiers.* indicator that ``words`` describe (``parent``: the
    statement a "trong đó" list breaks down)."""
    name = first_rule(words, DOSSIER_RULES)
    pending = any(matches(parent, p) for p in PENDING)
    if name == "overdue":
        return "dossiers.pending.overdue" if pending else "dossiers.resolved.late"
    if name == "dossiers.pending.within_deadline" and not (pending or matches(words, "chưa đến hạn")):
        return None
    return None if name == _SKIP else name


def _dossiers(r: Reading) -> list[Indicator]:
    """Dossiers: the label, then the words after the number, then those
    before it ("tiếp nhận mới hơn 2.500 hồ sơ", "hồ sơ kỳ trước chuyển sang
    1.094", "Số lượng hồ sơ đã giải quyết: 17"); "tiếp nhận và giải quyết
    41.484 hồ sơ" gives two rows."""
    at = r.near.find(fold(r.q.text))
    after, before = r.near[at:], r.near[:at]
    clause_before = r.clause_before
    if regex.search(r"\bnộp\b", clause_before) and regex.match(r"\s*bộ\b", r.after):
        return []  # "nộp 01 bộ hồ sơ": a procedure's formula (the sets to submit), not a count
    if not r.label and any(matches(clause_before, p) for p in RECEIVED_AND_RESOLVED):
        return [r.row("dossiers.received", r.q.value, _role(r)), r.row("dossiers.resolved", r.q.value, _role(r))]
    name = (_dossier(r.label, r.parent) if r.label else None) or _dossier(after, r.parent) \
        or _dossier(before, r.parent)
    if name is None and not r.label:
        name = _dossier(clause_before, r.parent)
    if name is None:
        return []
    if r.q.kind == "ratio":
        return r.pair(name, "dossiers.received")
    return [r.row(name, r.q.value, _role(r))]


def _procedure(words: str, tail: str = "") -> str | None:
    """"Thủ tục hành chính sửa đổi: 07 thủ tục" → procedures.amended.  A
    count of procedures "liên thông" or still to be reviewed ("cần rà
    soát") has no indicator; a service level names online procedures, one
    level its own indicator ("mức độ 4"), several a field ("mức độ 3,4")."""
    if matches(words, ("liên thông", "một cửa")) and not regex.search(r"m\S{0,2}t c\S{0,2}a\s*,", words):
        return None
    rules = PROCEDURE_RULES if "mới" in words.split() or matches(words, "bổ sung") else \
        tuple(rule for rule in PROCEDURE_RULES if rule[0] != "procedures.new")
    if _service_levels(words) or _service_levels(tail):
        return "procedures.online"
    name = first_rule(words, rules)
    if name == _SKIP or (name == "procedures.reviewed" and "cần" in words.split()):
        return None
    return name


def _procedures(r: Reading) -> list[Indicator]:
    """Procedures: "Bổ sung 04 thủ tục hành chính" → new; "1.256 TTHC thực
    hiện dịch vụ công trực tuyến mức độ 3,4" → online, field "mức độ 3,4";
    "2.132/2.132 TTHC … cơ chế một cửa" → one-stop and total."""
    rest = fold(r.text[r.q.end:r.se])
    if regex.search(r"theo kế hoạch", r.after) or "không" in r.after.split()[:3] \
            or first_rule(rest, PROCEDURE_RULES[:1]):
        return []  # a plan's figure, a negation, or what the vocabulary does not name
    words = r.label or r.near
    name = _procedure(words, "" if r.label else r.after)
    if name is None:
        return []
    if r.q.kind == "ratio":
        return r.pair(name, "procedures.total")
    return [r.row(name, r.q.value, _role(r), _service_levels(r.after) if name == "procedures.online"
                  else _field_after(r))]


def _service_levels(words: str) -> str | None:
    """"dịch vụ công trực tuyến mức độ 3,4" (several levels) → "mức độ 3,4"."""
    level = _SERVICE_LEVEL.search(words)
    if level and regex.search(r"\d\D+\d", level.group("n")):
        return "mức độ " + "".join(level.group("n").split())
    return None


def _tasks(r: Reading) -> list[Indicator]:
    """Plan tasks: "hoàn thành 28/29 nhiệm vụ", "đã thực hiện 42/43 nhiệm vụ
    đề ra theo kế hoạch", "Kế hoạch … tổng số 29 nhiệm vụ"."""
    words = " ".join(x for x in (r.label, r.near) if x)
    if ("kiểm tra" in r.sentence and "đơn vị" in r.sentence) or regex.search(r"\bcòn\s*$", r.before):
        return []  # units of an inspection; "còn một nhiệm vụ": what is left, not a count
    done = regex.search(r"hoàn thành|đã thực hiện|đã triển khai", r.clause_before + " " + words)
    if r.q.kind == "ratio" and done:
        return r.pair("plan.tasks_done", "plan.tasks")
    if matches(r.clause_before, "hoàn thành"):
        return [r.row("plan.tasks_done", r.q.value)]
    if "tổng số" in words or "kế hoạch" in r.sentence:
        return [r.row("plan.tasks", r.q.value, fld=_plan_field(r.text[r.ss:r.se]))]
    return []


def _units(r: Reading) -> list[Indicator]:
    """Units of an inspection: "kiểm tra 04/04 đơn vị"."""
    if "kiểm tra" not in r.sentence:
        return []
    if r.q.kind == "ratio":
        return r.pair("inspection.units_inspected", "inspection.units_planned")
    if regex.search(r"đã\s+(?:hoàn thành|kiểm tra|tiến hành|tổ chức|thực hiện)", r.before):
        return [r.row("inspection.units_inspected", r.q.value)]
    return [r.row("inspection.units_planned", r.q.value)]


def _feedback(r: Reading) -> list[Indicator]:
    """Citizens' feedback on regulations: "tiếp nhận 15 phản ánh, kiến
    nghị", "đã xử lý xong 15/15 phản ánh, kiến nghị" (handled of received)."""
    words = r.clause_before + " " + (r.label or "")
    if regex.search(r"\b(?:đang|chưa)\s+(?:được\s+)?(?:xử lý|giải quyết)", r.after):
        return []  # what is still open has no name in the vocabulary
    if r.q.kind == "ratio":
        return r.pair("feedback.resolved", "feedback.received")
    if regex.search(r"xử lý|giải quyết|trả lời", words):
        return [] if regex.search(r"\bđang\b|\bchưa\b", words) else [r.row("feedback.resolved", r.q.value)]
    if regex.search(r"tiếp nhận|nhận được|\bnhận\b|\bcó\b|tổng số", words):
        return [r.row("feedback.received", r.q.value)]
    return []


def _complaints(r: Reading) -> list[Indicator]:
    """Complaints and denunciations received: "tiếp nhận 03 đơn thư khiếu nại"."""
    words = r.clause_before + " " + (r.label or "")
    if r.q.kind == "count" and regex.search(r"tiếp nhận|nhận được|\bnhận\b", words) \
            and not regex.search(r"xử lý|giải quyết", words):
        return [r.row("complaints.received", r.q.value)]
    return []


def _staff(r: Reading) -> list[Indicator]:
    """Officials sent to training, the course as field: "02 công chức học
    cao cấp LLCT"."""
    text, q = r.text, r.q
    semi = text.rfind(";", r.ss, q.start)
    end = text.find(";", q.end, r.se)
    start = max(r.ss, semi + 1)
    clause = text[start:end if end >= 0 else r.se]
    plain = fold(regex.sub(r"\([^)]*\)?", "", clause))
    if regex.search(r"\b(?:học|bồi dưỡng|đào tạo|tập huấn)\b", plain) and \
            not regex.search(r"tốt nghiệp|bổ nhiệm|tuyển dụng|nghỉ hưu|nâng lương", plain):
        return [r.row("staff.trained", q.value, fld=_training_field(clause[q.end - start:]))]
    return []


HANDLERS = {"dossiers": _dossiers, "procedures": _procedures, "tasks": _tasks, "units": _units,
            "staff": _staff, "feedback": _feedback, "complaints": _complaints}


def _count(r: Reading, lead_family: str | None) -> list[Indicator]:
    """A count or a ratio: the reform index's rank, else the handler of its
    counted noun's family ("hồ sơ", "thủ tục", "nhiệm vụ", "đơn vị", "công
    chức") — the noun after the number, in its label, or before it when the
    number ends its clause ("hồ sơ kỳ trước chuyển sang 1.094")."""
    if _RANK.search(fold(r.text[max(0, r.q.start - 15):r.q.start])) \
            and regex.search(r"chỉ số|par index|cchc", r.sentence):
        return [r.row("par_index.rank", r.q.value)]
    at = r.near.find(fold(r.q.text))
    fam = _fam(r.noun) or _fam(r.label) or _fam(r.after) or lead_family \
        or (_fam(r.near[:at]) if at >= 0 and not r.after.strip(" .,;:") else None) \
        or (_fam(r.sentence) if r.label or r.parent else None)
    handler = HANDLERS.get(fam or "")
    return handler(r) if handler else []


def _role(r: Reading) -> str:
    after = fold(r.text[r.q.end:r.q.end + 80])
    return "total" if regex.match(r"[^.;\n]{0,40}(?:trong đó|bao gồm|gồm)", after) else "single"


# -- fields ----------------------------------------------------------------------
def _field_after(r: Reading) -> str | None:
    """"03 thủ tục thuộc lĩnh vực hoạt động khoa học công nghệ và ..." → the field."""
    m = regex.compile(r"thuộc\s+lĩnh\s+vực\s+(?P<f>.+?)(?=\s+và\s|[,;.(]|$)").search(r.text, r.q.end, r.se)
    if m and not _DIGITS.search(r.text, r.q.end, m.start()) or (
            m and regex.fullmatch(r"[^;]*", r.text[r.q.end:m.start()])):
        return m.group("f").strip()
    return None


def _training_field(clause: str) -> str | None:
    """"02 công chức học cao cấp LLCT" → "cao cấp LLCT"; a list of topics
    after the course is not its name ("bồi dưỡng CMNV về các lĩnh vực quản
    lý ngành, CNTT" → "CMNV")."""
    c = regex.sub(r"\([^)]*\)?", "", clause).strip(" .;,")
    c = regex.split(r"\s+về\s+các\s", c, maxsplit=1)[0]
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


def _name_before(text: str, r: Reading) -> str | None:
    """A figure in brackets after the unit it belongs to: "UBND huyện Krông
    Năng (4.772 hồ sơ)", "Sở Tư pháp (hơn 10%)" → the unit."""
    open_at = text.rfind("(", r.ss, r.q.start)
    if open_at < 0 or not regex.fullmatch(r"\s*(?:khoảng|gần|hơn|trên)?\s*", text[open_at + 1:r.q.start]) \
            or not regex.match(r"[^()\d]{0,25}\)", text[r.q.end:]):
        return None  # the brackets hold the figure and its noun only
    m = _NAME_BEFORE.search(text[max(r.ss, open_at - 90):open_at + 1])
    return m.group("f").strip() if m and not regex.search(r"\d", m.group("f")) else None


def _breakdown_field(r: Reading) -> str | None:
    """The level or unit a part of a breakdown gives: "cấp huyện là 12.932",
    "1.303 TTHC thuộc thẩm quyền giải quyết của 17 sở, ban, ngành",
    "UBND huyện Krông Năng (4.772 hồ sơ)"."""
    text = r.text
    level = _LEVEL.search(text, r.cs, r.q.start)
    if level:
        return level.group(1)
    owner = _OWNER.match(text, r.q.end)
    if owner:
        return owner.group("f").strip()
    return _name_before(text, r)


# -- the reader ----------------------------------------------------------------------
@dataclass
class _State:
    """What a number's statement leaves for the numbers after it."""

    lead: Indicator | None = None          # the total a "bao gồm:" list of fields breaks down
    lead_family: str | None = None         # the family of a "trong đó:" list's lead-in
    breakdown: list[Indicator] = field(default_factory=list)  # the rows a "trong đó"/"gồm" part repeats
    breakdown_end: int = -1                # where that statement's breakdown can run to
    last_count: Indicator | None = None    # the count a share in brackets is of
    last_end: int = -1


def _share_of(r: Reading, st: _State) -> Indicator | None:
    """The count a percentage is the share of: right before it in brackets
    or after "chiếm"/"đạt" ("951 hồ sơ (chiếm tỷ lệ 5,16%)")."""
    if st.last_count is None or st.last_end < r.ss:
        return None
    between = fold(r.text[st.last_end:r.q.start])
    if regex.search(r"[\d;]|\.\s", between):
        return None
    near = len(between) <= 30 and (regex.search(r"\(", between) or _SHARE_WORD.search(between))
    bracketed = regex.search(r"\(\s*(?:chiếm|đạt|bằng)?(?:\s+tỷ\s+lệ|\s+t\s+l)?\s*(?:khoảng|gần|hơn|trên)?\s*$",
                             between)
    return st.last_count if near or (bracketed and len(between) <= 200) else None


def _part(r: Reading, st: _State) -> list[Indicator]:
    """A part of the statement a "trong đó"/"gồm" breaks down, naming a level
    or unit and no fact of its own: the statement's rows again, with that field."""
    if not st.breakdown or r.q.start > st.breakdown_end or r.q.kind not in ("count", "ratio"):
        return []
    fld = _breakdown_field(r)
    if fld is None:
        return []
    return [Indicator(indicator=b.indicator, value=r.q.value, field=fld, start=r.q.start, end=r.q.end,
                      text=r.q.text, sentence=r.text[r.ss:r.se], group=b.group, role="part",
                      approximate=r.q.approximate) for b in st.breakdown]


def _list_item(r: Reading) -> list[Indicator]:
    """An item of a list whose lead-in names the fact, its figure in
    brackets after its unit: "Một số đơn vị có số lượng hồ sơ tiếp nhận cao
    gồm: UBND huyện Krông Năng (4.772 hồ sơ), …" → dossiers received, field
    the unit; "tỷ lệ giải quyết hồ sơ chậm/quá hạn cao, như: Sở Tư pháp
    (hơn 10%)" → rate.late."""
    unit = _name_before(r.text, r)
    if unit is None:
        return []
    line_start = r.text.rfind("\n", 0, r.q.start) + 1
    colon = r.text.rfind(":", line_start, r.q.start)
    if colon < 0:
        return []
    lead = r.text[max(line_start, r.text.rfind(". ", line_start, colon) + 1):colon]
    words = fold(lead)
    if r.q.kind == "percent":
        name = _rate(words)
    elif r.q.kind == "count" and _fam(r.noun) == "dossiers":
        name = _dossier(words, "")
    else:
        name = None
    return [r.row(name, r.q.value, "part", unit)] if name else []


def find_indicators(text: str, quantities: list[Quantity] | None = None,
                    sections: list[Section] | None = None, sentences: Sentences | None = None) -> list[Indicator]:
    r"""Prose indicators of ``text`` (tables: :mod:`parmine.extract.tables`).

    >>> [(i.indicator, i.value, i.field) for i in find_indicators(
    ...     "Sở đã tiếp nhận 15 hồ sơ, bao gồm:\n- Lĩnh vực Đất đai: 9 hồ sơ.\n- Lĩnh vực Xây dựng: 6 hồ sơ.")]
    [('dossiers.received', 15, None), ('dossiers.received', 9, 'Đất đai'), ('dossiers.received', 6, 'Xây dựng')]
    >>> [(i.indicator, i.value, i.field) for i in find_indicators(
    ...     "Toàn huyện tiếp nhận 41.484 hồ sơ (trong đó cấp huyện là 12.932 hồ sơ, cấp xã là 28.552 hồ sơ).")][:3]
    [('dossiers.received', 41484, None), ('dossiers.received', 12932, 'cấp huyện'),
     ('dossiers.received', 28552, 'cấp xã')]
    """
    from .sections import parse_sections

    sents = sentences or Sentences(text)
    quantities = find_quantities(text, sentences=sents) if quantities is None else quantities
    sections = parse_sections(text) if sections is None else sections
    plan_spans = [(s.start, s.end) for s in sections
                  if s.kind == "body" and s.level == 1 and _PLAN_SECTION.search(fold(s.title))]
    out: list[Indicator] = []
    st = _State()
    for q in quantities:
        if q.kind in ("money", "duration") or any(a <= q.start < b for a, b in plan_spans):
            continue
        out.extend(_one(sents, q, st, out))
    return out


def _one(sents: Sentences, q: Quantity, st: _State, out: list[Indicator]) -> list[Indicator]:
    """The rows of one quantity, and what it leaves in ``st``."""
    text = sents.text
    line_start = text.rfind("\n", 0, q.start) + 1
    item = _FIELD_ITEM.match(text, line_start)
    if item and item.end() <= q.start + 1 and st.lead is not None and q.kind == "count":
        return [Indicator(indicator=st.lead.indicator, value=q.value, field=item.group("f").strip(),
                          start=q.start, end=q.end, text=q.text,
                          sentence=text[line_start:text.find("\n", q.start) % (len(text) + 1)],
                          group=st.lead.group, role="part")]
    r = read(sents, q)
    if _is_target(r.label + " " + r.before):
        return []
    rows = _part(r, st) or _list_item(r)
    if not rows:
        if q.kind == "absence":
            rows = _absence(r)
        elif q.kind == "percent":
            rows = _percent(r, _share_of(r, st))
        elif q.kind == "decimal":
            rows = _decimal(r)
        else:
            rows = _count(r, st.lead_family)
    _remember(r, rows, st, out, item is not None)
    return rows


def _remember(r: Reading, rows: list[Indicator], st: _State, out: list[Indicator], item: bool) -> None:
    text, q = r.text, r.q
    if not rows:
        return
    if q.kind in ("count", "ratio"):
        st.last_count, st.last_end = rows[0], q.end
    m = _BREAKDOWN.search(text, q.end, min(r.se, q.end + 100))
    if q.kind in ("count", "ratio") and m and not rows[0].field and rows[0].role != "part" and \
            regex.fullmatch(r"[^\d]*", text[q.end:m.start()]):
        st.breakdown = [x for x in rows if x.role != "total" or q.kind != "ratio"]
        st.breakdown_end = r.se
    ends_colon = text[r.ss:r.se].rstrip().endswith(":")
    line_start = text.rfind("\n", 0, q.start) + 1
    family = rows[0].indicator.split(".")[0] if ends_colon else (
        st.lead_family if item or regex.match(r"\s*[-+•]", text[line_start:q.start]) else None)
    st.lead_family = {"dossiers": "dossiers", "procedures": "procedures"}.get(family or "")
    if ends_colon:
        lead = next((x for x in out if x.group == rows[0].group), rows[0])
        st.lead = Indicator(**{**lead.__dict__, "role": "total"}) if lead.role != "total" else lead
    elif not item:
        st.lead = None
