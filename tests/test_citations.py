"""Citations: type words, number shapes, runs of numbers, dates, issuers,
subjects, parentheses, and what is not a citation."""
import pytest

from parmine.extract.citations import find_citations


def cits(text):
    return [(c.id, c.doc_type, c.date) for c in find_citations(text)]


@pytest.mark.parametrize("text, want", [
    ("theo Quyết định số 15/2022/QĐ-UBND ngày 03/6/2022 của UBND tỉnh",
     [("15/2022/QĐ-UBND", "Quyết định", "2022-06-03")]),
    ("Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ", [("30/2020/NĐ-CP", "Nghị định", "2020-03-05")]),
    ("NGHỊ QUYẾT SỐ 05-NQ/TU NGÀY 12/5/2021", [("05-NQ/TU", "Nghị quyết", "2021-05-12")]),
    ("thực hiện quyết định số 1021/QĐ-TTg", [("1021/QĐ-TTg", "Quyết định", None)]),
    ("Công văn số 812/STP-VP ngày 2/8/2022", [("812/STP-VP", "Công văn", "2022-08-02")]),
    ("Nghị quyết số 30c/NQ-CP ngày 08/11/2011", [("30c/NQ-CP", "Nghị quyết", "2011-11-08")]),
    ("Thông tư số 01/2023/ TT-BNV ngày 9/1/2023", [("01/2023/TT-BNV", "Thông tư", "2023-01-09")]),
    ("Thông tư số 05/2019/TT- BTC", [("05/2019/TT-BTC", "Thông tư", None)]),
    ("Kế hoạch số 21/KH-SXD-VP ngày 01/02/2023", [("21/KH-SXD-VP", "Kế hoạch", "2023-02-01")]),
    ("Công văn số 77/UBND-TH&TK ngày 05/01/2021", [("77/UBND-TH&TK", "Công văn", "2021-01-05")]),
    ("Chương trình hành động số 12/CTr-UBND ngày 10/3/2017", [("12/CTr-UBND", "Chương trình", "2017-03-10")]),
    ("Thông tư số 44/2019/TT-BTC ngày 15 tháng 7 năm 2019 của Bộ Tài chính",
     [("44/2019/TT-BTC", "Thông tư", "2019-07-15")]),
    ("Công điện số 1099/CĐ-TTg ngày 20/11/2022", [("1099/CĐ-TTg", "Công điện", "2022-11-20")]),
    ("Chỉ thị 08/CT-UBND ngày 2/4/2020", [("08/CT-UBND", "Chỉ thị", "2020-04-02")]),
    ("theo Quyết định 468/QĐ-TTg (27/3/2021) về Đề án", [("468/QĐ-TTg", "Quyết định", "2021-03-27")]),
    # two type words in a row: the first is the head of the compound
    ("Thông báo kết luận số 123-TB/TU ngày 5/5/2022 của Tỉnh ủy", [("123-TB/TU", "Thông báo", "2022-05-05")]),
    ("Công văn hướng dẫn số 45/SNV-CCHC ngày 3/3/2020", [("45/SNV-CCHC", "Công văn", "2020-03-03")]),
    # ... but a verb before a type word is no head: "hướng dẫn Nghị định"
    ("Thông tư 01/2018/TT-VPCP hướng dẫn Nghị định 61/2018/NĐ-CP về một cửa",
     [("01/2018/TT-VPCP", "Thông tư", None), ("61/2018/NĐ-CP", "Nghị định", None)]),
    ("Quyết định số 2235/QĐ-UBND ngày 10/12/2022 và Quyết định số 2236/QĐ-UBND cùng ngày",
     [("2235/QĐ-UBND", "Quyết định", "2022-12-10"), ("2236/QĐ-UBND", "Quyết định", "2022-12-10")]),
])
def test_single_citations(text, want):
    assert cits(text) == want


def test_a_run_of_numbers_shares_type_and_date():
    got = cits("UBND tỉnh ban hành quyết định số 101/QĐ-UBND, 102/QĐ-UBND và 103/QĐ-UBND ngày 9/2/2021 về")
    assert got == [(f"{n}/QĐ-UBND", "Quyết định", "2021-02-09") for n in (101, 102, 103)]


def test_a_list_after_a_plural_type_word():
    text = ("Sở đã ban hành các Kế hoạch: số 11/KH-SNV ngày 5/1/2022 về công tác cải cách hành chính; "
            "số 12/KH-SNV ngày 6/1/2022 về kiểm tra.")
    assert cits(text) == [("11/KH-SNV", "Kế hoạch", "2022-01-05"), ("12/KH-SNV", "Kế hoạch", "2022-01-06")]


def test_date_written_before_the_type_word():
    text = "Ngày 11/3/2022, UBND tỉnh ban hành Công văn số 640/UBND-NC về việc đẩy mạnh cải cách."
    assert cits(text) == [("640/UBND-NC", "Công văn", "2022-03-11")]


def test_date_of_the_list_lead_in():
    text = "Ngày 10/01/2021, Sở đã ban hành:\n- Kế hoạch cải cách hành chính (Kế hoạch số 03/KH-SCT).\n"
    assert cits(text) == [("03/KH-SCT", "Kế hoạch", "2021-01-10")]


def test_a_date_of_another_document_is_not_taken():
    text = "Căn cứ Luật ngày 19/6/2015; Kế hoạch số 7/KH-UBND về tuyên truyền."
    assert cits(text) == [("7/KH-UBND", "Kế hoạch", None)]


def test_issuer_subject_and_parts():
    (c,) = find_citations("Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ "
                          "phê duyệt Đề án đổi mới việc thực hiện cơ chế một cửa; Sở tiếp tục.")
    assert (c.number, c.year, c.symbol, c.issuer_symbol) == ("468", 2021, "QĐ-TTg", "TTg")
    assert c.issuer == "Thủ tướng Chính phủ"
    assert c.subject.startswith("phê duyệt Đề án") and c.subject.endswith("một cửa")
    assert c.parenthetical is False


def test_parenthetical_reference():
    (c,) = find_citations("đã ban hành kế hoạch (Kế hoạch số 09/KH-SYT ngày 14/01/2022).")
    assert c.parenthetical is True and c.date == "2022-01-14"


def test_party_and_unit_symbols():
    got = find_citations("Quy định số 205-QĐ/TW và Công văn số 45/SKHĐT-TH")
    assert [(c.id, c.symbol, c.issuer_symbol) for c in got] == [
        ("205-QĐ/TW", "QĐ/TW", "TW"), ("45/SKHĐT-TH", "SKHĐT-TH", "SKHĐT")]


def test_number_without_type_word():
    assert cits("như đã nêu tại 56/UBND-KT, Sở đã") == [("56/UBND-KT", None, None)]


@pytest.mark.parametrize("text", [
    "hoàn thành 12/15 nhiệm vụ", "áp dụng TCVN ISO 9001:2015", "ngày 12/05/2022",
    "gọi số 0235.3812.345", "Trang 3/12", "cập nhật tại http://dvc.gov.vn/a/25",
    "giai đoạn 2021-2025", "kỳ 2/2022",
])
def test_not_citations(text):
    assert find_citations(text) == []


def test_spans_point_at_the_id():
    text = "Thông tư số 02/2017/TT- VPCP ngày 31/10/2017"
    (c,) = find_citations(text)
    assert text[c.start:c.end] == c.text == "02/2017/TT- VPCP" and c.id == "02/2017/TT-VPCP"


def test_the_reports_own_number_is_not_a_citation():
    text = "SỞ TƯ PHÁP\nSố: 312/BC-STP\nHuế, ngày 2 tháng 3 năm 2022\nThực hiện Công văn số 9/SNV-CCHC của Sở Nội vụ"
    assert [c.id for c in find_citations(text)] == ["9/SNV-CCHC"]
