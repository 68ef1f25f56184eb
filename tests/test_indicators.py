"""Prose statements → indicators; targets and non-reform counts give none."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parmine.extract.indicators import find_indicators


def ind(text):
    return [(i.indicator, i.value, i.field) for i in find_indicators(text)]


@pytest.mark.parametrize("text, want", [
    ("Trong kỳ, Văn phòng đã tiếp nhận 152 hồ sơ, đã giải quyết 150 hồ sơ.",
     [("dossiers.received", 152, None), ("dossiers.resolved", 150, None)]),
    ("Có 23 hồ sơ nộp trực tuyến và 40 hồ sơ nộp trực tiếp.",
     [("dossiers.received.online", 23, None), ("dossiers.received.offline", 40, None)]),
    ("- Số hồ sơ đang giải quyết: 9; trong đó, trong hạn: 8, quá hạn: 1.",
     [("dossiers.pending", 9, None), ("dossiers.pending.within_deadline", 8, None),
      ("dossiers.pending.overdue", 1, None)]),
    ("- Số hồ sơ đã giải quyết: 30; trong đó, trước hạn: 12, đúng hạn: 16, quá hạn: 2.",
     [("dossiers.resolved", 30, None), ("dossiers.resolved.early", 12, None),
      ("dossiers.resolved.on_time", 16, None), ("dossiers.resolved.late", 2, None)]),
    ("Tổng số thủ tục hành chính thuộc thẩm quyền là 81 TTHC.", [("procedures.total", 81, None)]),
    ("Số TTHC được công bố, công khai: 75/81 TTHC.",
     [("procedures.published", 75, None), ("procedures.total", 81, None)]),
    ("Đến nay đã hoàn thành 14/16 nhiệm vụ đề ra.",
     [("plan.tasks_done", 14, None), ("plan.tasks", 16, None)]),
    ("Đã kiểm tra công tác CCHC tại 05/06 đơn vị trực thuộc.",
     [("inspection.units_inspected", 5, None), ("inspection.units_planned", 6, None)]),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 97%.", [("rate.on_time", 97, None)]),
    ("Tỷ lệ số hóa hồ sơ khi tiếp nhận đạt 88%.", [("rate.digitized_intake", 88, None)]),
    ("100% văn bản đi được ký số và gửi qua phần mềm quản lý văn bản.", [("rate.it_use", 100, None)]),
    ("Trong kỳ không có hồ sơ nào trễ hạn.", [("dossiers.resolved.late", 0, None)]),
    ("Trong quý, cơ quan không nhận được đơn thư khiếu nại, tố cáo.", [("complaints.received", 0, None)]),
    ("- Tổng số phản ánh, kiến nghị đã tiếp nhận: Không.", [("feedback.received", 0, None)]),
    ("Hệ thống đã tiếp nhận 120 phản ánh, kiến nghị về quy định hành chính, đã xử lý 118 phản ánh.",
     [("feedback.received", 120, None), ("feedback.resolved", 118, None)]),
    ("Đã xử lý xong 15/15 phản ánh, kiến nghị của cá nhân, tổ chức.",
     [("feedback.resolved", 15, None), ("feedback.received", 15, None)]),
    ("Có 12 phản ánh, kiến nghị đang xử lý.", []),                  # still open: no name
    ("Trong quý, Thanh tra tỉnh tiếp nhận 03 đơn thư khiếu nại, tố cáo.", [("complaints.received", 3, None)]),
    # service levels since 2022: "toàn trình" (the former level 4) and "một phần" (level 3)
    ("Tỉnh cung cấp 1.650 dịch vụ công trực tuyến, trong đó 850 dịch vụ công trực tuyến toàn trình và "
     "800 dịch vụ công trực tuyến một phần.",
     [("procedures.online", 1650, None), ("procedures.online.level4", 850, None),
      ("procedures.online.level3", 800, None)]),
    ("Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình đạt 55%.", [("rate.online_level4", 55, None)]),
    # "5 đợt" counts rounds of inspection; the units reached are the 20
    ("Đã tổ chức 5 đợt kiểm tra công tác CCHC tại 20 cơ quan, đơn vị.",
     [("inspection.units_inspected", 20, None)]),
    ("Năm 2021, Sở xếp vị trí thứ 12 (80,15 điểm) trong bảng công bố Chỉ số CCHC.",
     [("par_index.rank", 12, None), ("par_index.score", 80.15, None)]),
    ("+ 26 lượt CCVC tham gia bồi dưỡng CMNV về các lĩnh vực quản lý ngành, CNTT, dân quân tự vệ.",
     [("staff.trained", 26, "bồi dưỡng CMNV")]),                        # the topics are not the course
    ("Cử 04 công chức tham gia lớp bồi dưỡng kiến thức quản lý nhà nước; 03 viên chức học trung cấp lý luận chính trị.",
     [("staff.trained", 4, "kiến thức quản lý nhà nước"), ("staff.trained", 3, "trung cấp lý luận chính trị")]),
])
def test_statements(text, want):
    assert ind(text) == want


def test_breakdown_by_field_takes_the_lead_total():
    text = ("Sở đã tiếp nhận 40 hồ sơ, bao gồm:\n- Lĩnh vực Hộ tịch: 25 hồ sơ.\n"
            "- Lĩnh vực Chứng thực 15 hồ sơ.\nĐoạn khác.")
    got = find_indicators(text)
    assert [(i.indicator, i.value, i.field) for i in got] == [
        ("dossiers.received", 40, None), ("dossiers.received", 25, "Hộ tịch"), ("dossiers.received", 15, "Chứng thực")]
    assert got[1].group == got[0].group == got[2].group
    assert got[0].role == "total"
    assert got[1].role == got[2].role == "part"


@pytest.mark.parametrize("text", [
    "Năm 2023 sẽ phấn đấu 100% hồ sơ được giải quyết đúng hạn.",
    "Phấn đấu nâng số TTHC trực tuyến lên 90%.",
    "(2) Đảm bảo 100% hồ sơ được số hóa khi tiếp nhận.",
    "Tổng số TTHC cần rà soát trong năm: 35.",
    "Đã bổ nhiệm 03 trưởng phòng và điều động 02 viên chức.",
    "Số lượt truy cập trang thông tin điện tử: 1.245.000 lượt.",
    "Có 12 học viên đã tốt nghiệp.",
    "Tổng số văn bản QPPL có quy định TTHC được công bố: Không.",
    "Tuyên truyền Nghị định đến 100% công chức của Sở.",
])
def test_targets_and_other_counts_give_no_row(text):
    assert ind(text) == []


def test_plans_ahead_section_gives_no_row():
    text = "I. KẾT QUẢ\nĐã tiếp nhận 10 hồ sơ.\nII. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023\nTiếp nhận 100% hồ sơ trực tuyến."
    assert ind(text) == [("dossiers.received", 10, None)]


def test_provenance():
    text = "Đã tiếp nhận 152 hồ sơ."
    (i,) = find_indicators(text)
    assert text[i.start:i.end] == i.text == "152" and i.sentence == text


def test_a_list_after_trong_do_without_colons():
    text = "2. Số hồ sơ đã giải quyết: 1.198, trong đó: giải quyết trước hạn 1.050; đúng hạn 140; quá hạn 8."
    assert ind(text) == [("dossiers.resolved", 1198, None), ("dossiers.resolved.early", 1050, None),
                         ("dossiers.resolved.on_time", 140, None), ("dossiers.resolved.late", 8, None)]


def test_no_feedback_stated_as_absence():
    assert ind("Trong kỳ không có phản ánh, kiến nghị về quy định hành chính.") == [("feedback.received", 0, None)]


# -- real documents' phrasings (portal news, reports, decisions) -------------------
@pytest.mark.parametrize("text, want", [
    # news: new, carried over, cumulative in progress (= received), number after the noun
    ("Trung tâm tiếp nhận mới 3.218 hồ sơ, hồ sơ kỳ trước chuyển sang 1.094, tổng số hồ sơ đã và đang giải quyết 4.312.",
     [("dossiers.new", 3218, None), ("dossiers.carried_over", 1094, None), ("dossiers.received", 4312, None)]),
    # early and on time as one number, and its share
    ("Trung tâm đã trả trước và đúng hạn 2.975 hồ sơ (đạt 98,6%).",
     [("dossiers.resolved.in_time", 2975, None), ("rate.on_time", 98.6, None)]),
    ("Số hồ sơ giải quyết đúng và trước hạn là 815 hồ sơ.", [("dossiers.resolved.in_time", 815, None)]),
    # a share of a late count is the late rate; of early alone or of all resolved, no name
    ("Hồ sơ giải quyết trễ hạn là 951 hồ sơ (chiếm tỷ lệ 5,16%).",
     [("dossiers.resolved.late", 951, None), ("rate.late", 5.16, None)]),
    ("Hồ sơ giải quyết trước hạn là 16.307 hồ sơ (chiếm tỷ lệ 88,5%).", [("dossiers.resolved.early", 16307, None)]),
    ("Hệ thống đã tiếp nhận 18.426 hồ sơ và giải quyết được 17.922 hồ sơ, chiếm tỷ lệ 97,26%.",
     [("dossiers.received", 18426, None), ("dossiers.resolved", 17922, None)]),
    # approximate figures, a space lost before the number
    ("Tiếp nhận mới hơn 2.500 hồ sơ; lũy kế hồ sơ đã và đang giải quyết là hơn4.500 hồ sơ.",
     [("dossiers.new", 2500, None), ("dossiers.received", 4500, None)]),
    ("Gần 97% hồ sơ trả trước và đúng hạn", [("rate.on_time", 97, None)]),
    # one number, two facts; its breakdown by level carries the level as field
    ("Toàn huyện đã tiếp nhận và giải quyết 41.484 hồ sơ (trong đó cấp huyện là 12.932 hồ sơ, cấp xã là 28.552 hồ sơ).",
     [("dossiers.received", 41484, None), ("dossiers.resolved", 41484, None),
      ("dossiers.received", 12932, "cấp huyện"), ("dossiers.resolved", 12932, "cấp huyện"),
      ("dossiers.received", 28552, "cấp xã"), ("dossiers.resolved", 28552, "cấp xã")]),
    # a list of units, each figure in brackets after its unit
    ("Các đơn vị có số lượng hồ sơ tiếp nhận cao gồm: UBND huyện Krông Năng (4.772 hồ sơ), UBND thành phố Buôn Ma Thuột (2.991 hồ sơ).",
     [("dossiers.received", 4772, "UBND huyện Krông Năng"), ("dossiers.received", 2991, "UBND thành phố Buôn Ma Thuột")]),
    ("Một số cơ quan có tỷ lệ giải quyết hồ sơ chậm/quá hạn cao, như: Sở Tài nguyên và Môi trường (hơn 22%); UBND tỉnh (gần 15,7%).",
     [("rate.late", 22, "Sở Tài nguyên và Môi trường"), ("rate.late", 15.7, "UBND tỉnh")]),
    # procedures: owners as field, service levels, one-stop through the centre, "bổ sung" = new
    ("Tổng số 1.335 TTHC thực hiện tiếp nhận và trả kết quả tại Trung tâm, gồm 1.303 TTHC thuộc thẩm quyền giải quyết "
     "của 17 sở, ban, ngành và 19 TTHC thuộc thẩm quyền giải quyết của Công ty Điện lực.",
     [("procedures.one_stop", 1335, None), ("procedures.one_stop", 1303, "17 sở, ban, ngành"),
      ("procedures.one_stop", 19, "Công ty Điện lực")]),
    ("Đã có 1.256 thủ tục hành chính thực hiện dịch vụ công trực tuyến mức độ 3,4.",
     [("procedures.online", 1256, "mức độ 3,4")]),
    ("Toàn tỉnh có 2.132/2.132 thủ tục hành chính đưa vào thực hiện cơ chế một cửa, cơ chế một cửa liên thông (đạt tỷ lệ 100%).",
     [("procedures.one_stop", 2132, None), ("procedures.total", 2132, None), ("rate.one_stop", 100, None)]),
    ("Bổ sung 04 thủ tục hành chính vào Bộ thủ tục hành chính của Sở.", [("procedures.new", 4, None)]),
    ("Công bố 03 thủ tục hành chính được sửa đổi, bổ sung.", [("procedures.amended", 3, None)]),
    # letters lost in conversion ("thủ tục" → "th tc", "một cửa" → "mt ca", "tỷ lệ" → "t l")
    ("Hin, toàn tnh có 2.132/2.132 th tc hành chính đã được đưa vào thc hin cơ chế mt ca (đạt t l 100%).",
     [("procedures.one_stop", 2132, None), ("procedures.total", 2132, None), ("rate.one_stop", 100, None)]),
    # plans and the reform index
    ("Đã thực hiện 42/43 nhiệm vụ đề ra theo kế hoạch.", [("plan.tasks_done", 42, None), ("plan.tasks", 43, None)]),
    ("Chỉ số cải cách hành chính của huyện là 69,37%, xếp loại Khá, đứng thứ 8/10 huyện.",
     [("par_index.score", 69.37, None), ("par_index.rank", 8, None)]),
    # the share of dossiers received online
    ("Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt 45%.", [("rate.received_online", 45, None)]),
])
def test_real_phrasings(text, want):
    assert ind(text) == want


@pytest.mark.parametrize("text", [
    "Lệ phí: 150.000 đồng/hồ sơ.",
    "Kinh phí hỗ trợ 1.200.000 đồng cho 12 hồ sơ đã giải quyết xong.".replace(" cho 12 hồ sơ đã giải quyết xong", ""),
    "Số hồ sơ đến hạn giải quyết là 2.504 hồ sơ.",
    "Chỉ số mức độ hài lòng của người dân đạt 92,6%.",
    "Chỉ số tăng 5,79% so với năm 2022.",
    "Các đơn vị đều đạt tỷ lệ giải quyết 100% hồ sơ trong tháng.",
    "Công bố 1.135 thủ tục hành chính thực hiện tiếp nhận hồ sơ, trả kết quả qua dịch vụ bưu chính công ích.",
    "Có 13/20 cơ quan giải quyết trước và đúng hạn hồ sơ.",
    "11/11 xã, thị trấn được xếp loại CCHC loại Tốt.",
    "Số hồ sơ trả lại cho công dân: 15 hồ sơ.",
])
def test_what_has_no_name_gives_no_row(text):
    assert ind(text) == []


# -- never a count: money, dates, document and article numbers ------------------------

FRAMES = st.sampled_from(["Sở đã tiếp nhận {x} hồ sơ", "đã giải quyết {x} hồ sơ đúng hạn",
                          "có {x} hồ sơ trễ hạn", "công bố {x} thủ tục hành chính", "hoàn thành {x} nhiệm vụ"])
NOISE = st.sampled_from([
    "lệ phí {m} đồng/hồ sơ", "kinh phí {m} đồng", "theo Quyết định số {n}/{y}/QĐ-UBND ngày {d}/{mo}/{y}",
    "theo Nghị định {n}/{y}/NĐ-CP", "ngày {d} tháng {mo} năm {y}", "tại Điều {a} Thông tư số {n}/TT-BTC",
    "theo khoản {a} Điều {a2}", "liên hệ số điện thoại 0{p}", "mã hồ sơ {n}-{p}", "Công văn {n}/UBND-KT",
])


def _money(v: int) -> str:
    return f"{v:,}".replace(",", ".")


@settings(max_examples=200, deadline=None)
@given(frame=FRAMES, noise=st.lists(NOISE, min_size=1, max_size=3), x=st.integers(1000, 9999),
       m=st.integers(10_000, 9_000_000), n=st.integers(1, 999), y=st.integers(2005, 2025),
       d=st.integers(1, 28), mo=st.integers(1, 12), a=st.integers(1, 40), a2=st.integers(1, 40),
       p=st.integers(10_000_000, 99_999_999), order=st.booleans())
def test_no_indicator_from_money_dates_or_document_numbers(frame, noise, x, m, n, y, d, mo, a, a2, p, order):
    values = dict(x=_money(x), m=_money(m), n=n, y=y, d=d, mo=mo, a=a, a2=a2, p=p)
    parts = [frame.format(**values)] + [z.format(**values) for z in noise]
    text = (", ".join(parts if order else parts[::-1])) + "."
    got = find_indicators(text)
    assert all(i.value in (x, 0) for i in got), (text, [(i.indicator, i.value) for i in got])


@pytest.mark.parametrize("text", [
    # a procedure's text prescribes: time limits, ages, forms, the one set to submit
    "Sở Lao động - Thương binh và Xã hội trong thời gian 12 ngày kể từ ngày nhận đủ hồ sơ, có trách nhiệm kiểm tra.",
    "Thời gian xem xét, giải quyết không quá 155 ngày kể từ ngày nhận được hồ sơ do Ủy ban nhân dân cấp xã gửi đến.",
    "Trường hợp thân nhân là con từ đủ 18 tuổi trở lên đang đi học phải có thêm giấy xác nhận, kèm hồ sơ.",
    "Cá nhân gửi đơn đề nghị theo Mẫu số 20 Phụ lục I Nghị định này kèm giấy xác nhận theo Mẫu số 41 và hồ sơ.",
    "Người được ủy quyền nộp 01 bộ hồ sơ theo quy định tại khoản 3 Điều 6 Nghị định này.",
    # a share of something the reform does not count
    "Nhà xây dựng khi quy hoạch đã được công bố, không vi phạm hành lang bảo vệ công trình thì được hỗ trợ bằng 80%.",
])
def test_a_procedures_text_states_no_indicator(text):
    assert ind(text) == []
