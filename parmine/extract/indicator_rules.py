"""The rule tables of the indicator reader, as data.

Each table is an ordered tuple of ``(name, phrases)`` (``"-"``: no
indicator — what the phrase counts has no name in the vocabulary): the first rule one of
whose phrases the words around a number hold wins (:func:`~parmine.extract.
phrases.first_rule`; a phrase is a string or a tuple of strings that must
all be present, matched as :class:`~parmine.extract.phrases.Phrase`).  The
same dossier table reads prose and table headers.  Vietnamese examples:

- counted nouns: "34 **hồ sơ**", "47 **TTHC**", "28/29 **nhiệm vụ**";
- dossiers: "**tiếp nhận mới** 20", "**trả trước và đúng hạn** 2.425 hồ sơ",
  "**đã và đang giải quyết** 4.500", "**quá hạn**: 0" (pending or resolved
  late, by the statement it belongs to);
- procedures: "**bổ sung** 04 TTHC" (new), "**sửa đổi, bổ sung** 03 TTHC"
  (amended), "1.335 TTHC **tiếp nhận và trả kết quả tại Trung tâm**" (one-stop);
- rates: "tỷ lệ hồ sơ giải quyết **đúng hạn** đạt 97%", "951 hồ sơ **trễ hạn**
  (chiếm 5,16%)" — a share of a count takes the rate of that count (:data:`SHARE_OF`).
"""
from __future__ import annotations

# -- counted nouns -------------------------------------------------------------
FAMILIES = (
    ("dossiers", ("hồ sơ",)),
    ("procedures", ("thủ tục", "tthc", "dịch vụ công", "dvc")),
    ("feedback", ("phản ánh",)),
    ("complaints", ("đơn thư", "khiếu nại", "tố cáo")),
    ("tasks", ("nhiệm vụ", "nội dung")),
    ("units", ("đơn vị", "phòng", "cơ quan")),
    ("staff", ("công chức", "viên chức", "cán bộ", "ccvc", "cbcc", "vc", "đ/c", "lượt")),
    ("documents", ("văn bản", "quyết định", "kế hoạch", "tin", "ảnh", "giải pháp")),
    # rounds and meetings: "5 đợt kiểm tra", "3 cuộc", "2 lớp" count events, not what they reach
    ("events", ("đợt", "lần", "cuộc", "buổi", "lớp", "hội nghị", "phiên")),
)

# -- dossiers ------------------------------------------------------------------
# the statement a "quá hạn"/"trong hạn" count belongs to is pending: "đang giải quyết: 7; trong đó trong hạn: 7"
PENDING = ("đang giải quyết", "đang xử lý")
DOSSIER_RULES = (
    ("-", ("hồ sơ đến hạn", "trả lại", "rút hồ sơ", "bổ sung hồ sơ")),
    ("dossiers.awaiting_intake", ("chờ tiếp nhận",)),
    ("dossiers.registered", (("đăng ký", "hệ thống"),)),
    ("dossiers.digitized", ("số hóa",)),
    ("dossiers.carried_over", ("kỳ trước", "chuyển qua", "chuyển sang", "tồn")),
    ("dossiers.new", ("mới tiếp nhận", "tiếp nhận mới", "nhận mới")),
    ("dossiers.received", ("đã và đang giải quyết", "đã và đang xử lý")),
    ("dossiers.received.offline", ("không trực tuyến",)),
    ("dossiers.received.online", ("trực tuyến",)),
    ("dossiers.received.offline", ("trực tiếp", "bưu chính")),
    ("dossiers.pending.within_deadline", ("chưa đến hạn", "trong hạn")),
    ("overdue", ("quá hạn", "trễ hạn", "trễ hẹn", "chậm hạn", "chậm trễ")),
    ("dossiers.resolved.in_time", ("trước và đúng hạn", "đúng và trước hạn", "trước hạn và đúng hạn",
                                   "đúng hạn và trước hạn", "sớm và đúng hạn")),
    ("dossiers.resolved.early", ("trước hạn", "sớm hạn")),
    ("dossiers.resolved.on_time", ("đúng hạn",)),
    ("dossiers.pending", PENDING),
    ("dossiers.resolved", ("giải quyết", "xử lý", "trả kết quả")),
    ("dossiers.received", ("tiếp nhận", "nhận", "nộp")),
)
# "tiếp nhận và giải quyết 41.484 hồ sơ": one number, two facts
RECEIVED_AND_RESOLVED = ("tiếp nhận và giải quyết", "tiếp nhận, giải quyết")

# -- procedures ----------------------------------------------------------------
PROCEDURE_RULES = (
    ("-", ("bưu chính công ích",)),
    ("procedures.abolished", ("hủy bỏ", "huỷ bỏ", "bãi bỏ")),
    ("procedures.amended", ("sửa đổi", "thay thế")),
    ("procedures.new", (("mới", "ban hành"), ("mới", "công bố"), "bổ sung")),
    ("procedures.reviewed", ("rà soát",)),
    ("procedures.online.level4", ("mức độ 4",)),
    ("procedures.online.level3", ("mức độ 3",)),
    ("procedures.online", ("trực tuyến", "mức độ 2")),
    ("procedures.one_stop", ("một cửa", "tiếp nhận và trả kết quả", "hành chính công")),
    ("procedures.published", ("công khai", "công bố", "niêm yết")),
    ("procedures.total", ("tổng số", "thuộc thẩm quyền", "đang thực hiện")),
)

# -- rates ---------------------------------------------------------------------
RATE_RULES = (
    ("-", ("hài lòng", "tăng", "giảm", "so với")),
    ("par_index.score", ("chỉ số cải cách hành chính", "chỉ số cchc", "par index")),
    ("rate.digitized_intake", (("số hóa", "khi tiếp nhận"),)),
    ("rate.digitized_result", (("số hóa", "khi trả kết quả"),)),
    ("rate.digitized", ("số hóa",)),
    ("rate.survey", ("khảo sát",)),
    ("rate.late", ("trễ hạn", "quá hạn", "chậm hạn", "chậm/quá hạn", "trễ hẹn")),
    ("rate.on_time", ("đúng hạn", "trước hạn", "sớm hạn")),
    ("rate.online_level4", ("mức độ 4",)),
    ("rate.reviewed", ("rà soát",)),
    ("rate.plan_done", (("kế hoạch", "hoàn thành"),)),
    ("rate.received_online", (("hồ sơ", "trực tuyến"),)),
    ("rate.one_stop", ("một cửa", "hành chính công", "tiếp nhận và trả kết quả")),
    ("rate.published", ("công khai", "công bố", "niêm yết")),
    ("rate.online", ("trực tuyến", "môi trường điện tử")),
    ("rate.it_use", ("công nghệ thông tin", "eoffice", "phần mềm", "chữ ký số", "thư điện tử")),
)
# a share stated of a count ("951 hồ sơ trễ hạn (chiếm 5,16%)") is the rate of that count
SHARE_OF = {
    "dossiers.resolved.in_time": "rate.on_time", "dossiers.resolved.late": "rate.late",
    "dossiers.received.online": "rate.received_online", "dossiers.digitized": "rate.digitized",
    "procedures.one_stop": "rate.one_stop", "procedures.published": "rate.published",
    "procedures.online": "rate.online", "procedures.online.level4": "rate.online_level4",
    "procedures.reviewed": "rate.reviewed", "plan.tasks_done": "rate.plan_done",
}
