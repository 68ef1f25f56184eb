"""Prose statements → indicators; targets and non-reform counts give none."""
import pytest

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
    ("Năm 2021, Sở xếp vị trí thứ 12 (80,15 điểm) trong bảng công bố Chỉ số CCHC.",
     [("par_index.rank", 12, None), ("par_index.score", 80.15, None)]),
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
    assert got[1].group == got[0].group and got[0].role == "total" or got[1].role == "part"


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
