"""Report metadata from the header, the title and the signature block."""
import pytest

from parmine.extract.metadata import covered_period, extract_metadata

HEADER = """UBND TỈNH THÁI BÌNH
SỞ TÀI CHÍNH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 215/BC-STC

Thái Bình, ngày 12 tháng 10 năm 2023

BÁO CÁO
Kết quả thực hiện công tác cải cách hành chính 9 tháng đầu năm 2023

Kính gửi: Sở Nội vụ tỉnh Thái Bình

Sở Tài chính báo cáo kết quả như sau. Công tác phối hợp với tỉnh Nam Định, tỉnh Nam Định, tỉnh Nam Định tốt.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Lê Thị Hoa
"""


def test_full_header():
    m = extract_metadata(HEADER)
    assert m.province == "Thái Bình" and m.unit_2025 == "Hưng Yên"
    assert m.agency == "Sở Tài chính"
    assert m.report_type == "cchc"
    assert (m.period.kind, m.period.year, m.period.index) == ("nine_months", 2023, None)
    assert m.issued_date == "2023-10-12" and m.doc_number == "215/BC-STC"
    assert m.signer == "Lê Thị Hoa"
    assert m.recipients == ("Sở Nội vụ tỉnh Thái Bình",)


def test_blank_day_and_blank_number():
    text = HEADER.replace("Số: 215/BC-STC", "Số:      /BC-STC").replace("ngày 12 tháng 10", "ngày      tháng 10")
    m = extract_metadata(text)
    assert m.doc_number is None and m.issued_date == "2023-10"


@pytest.mark.parametrize("title, kind, year, index", [
    ("Công tác CCHC quý II và nhiệm vụ quý III năm 2021", "quarter", 2021, 2),
    ("Kết quả CCHC 6 tháng đầu năm và phương hướng 6 tháng cuối năm 2019", "half", 2019, 1),
    ("Tình hình thực hiện CCHC năm 2022", "year", 2022, None),
    ("Kết quả CCHC tháng 7 năm 2024", "month", 2024, 7),
])
def test_period_from_the_title(title, kind, year, index):
    m = extract_metadata(HEADER.replace("Kết quả thực hiện công tác cải cách hành chính 9 tháng đầu năm 2023", title))
    assert (m.period.kind, m.period.year, m.period.index) == (kind, year, index)


@pytest.mark.parametrize("title", [
    "Kế hoạch triển khai Đề án tìm kiếm, quy tập từ nay đến năm 2020 và những năm tiếp theo",
    "Chiến lược cải cách hành chính tầm nhìn đến năm 2030",
])
def test_a_horizon_is_no_covered_period(title):
    assert covered_period(title, "2013-11-11", "kế hoạch") is None
    assert covered_period(title.replace("đến năm", "năm"), "2013-11-11", "kế hoạch").kind == "year"


def test_no_period_in_the_title_takes_the_year_of_the_report():
    m = extract_metadata(HEADER.replace("9 tháng đầu năm 2023", "theo kết luận kiểm tra"))
    assert (m.period.kind, m.period.year) == ("year", 2023)


@pytest.mark.parametrize("title, kind", [
    ("Kết quả kiểm soát thủ tục hành chính quý I năm 2022", "tthc_control"),
    ("Tình hình triển khai cơ chế một cửa, một cửa liên thông năm 2021", "tthc_control"),
    ("Kết quả khắc phục tồn tại theo Kết luận kiểm tra công tác CCHC", "inspection_followup"),
    ("Công tác cải cách hành chính năm 2020", "cchc"),
    ("Tổng kết công tác thi đua khen thưởng năm 2020", "other"),
    ("Kết quả thực hiện kết luận kiểm tra CCHC của Đoàn kiểm tra tỉnh", "inspection_followup"),
    ("Kết quả rà soát, đánh giá thủ tục hành chính năm 2021", "tthc_control"),
    ("Kết quả tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính quý II năm 2021", "tthc_control"),
    ("Kết quả thực hiện nhiệm vụ chuyển đổi số năm 2021", "other"),
])
def test_report_type_from_the_title(title, kind):
    m = extract_metadata(HEADER.replace("Kết quả thực hiện công tác cải cách hành chính 9 tháng đầu năm 2023", title))
    assert m.report_type == kind


def test_province_from_the_place_line_with_a_missing_diacritic():
    text = "Số: /BC-SNV\n\nQuang Ninh, ngày 5 tháng 6 năm 2021\n\nBÁO CÁO\nCông tác CCHC năm 2021\n\nNội dung về tỉnh Lạng Sơn."
    assert extract_metadata(text).province == "Quảng Ninh"


def test_province_from_the_body_not_the_first_mention():
    text = ("BÁO CÁO\nCông tác CCHC năm 2020\n\nĐoàn công tác của tỉnh Quảng Bình đến thăm. "
            "Sở Y tế tỉnh Kon Tum báo cáo kết quả; các xã của tỉnh Kon Tum đã triển khai tại tỉnh Kon Tum.")
    m = extract_metadata(text)
    assert m.province == "Kon Tum" and m.agency == "Sở Y tế"


def test_signer_in_capitals_is_title_cased_and_stamp_marks_ignored():
    text = HEADER.replace("Lê Thị Hoa", "13/11\nX\nHOÀNG VĂN NAM")
    assert extract_metadata(text).signer == "Hoàng Văn Nam"


def test_no_signer():
    text = HEADER.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLê Thị Hoa\n", "")
    assert extract_metadata(text).signer is None


def test_agency_from_the_header_not_from_a_cited_body():
    text = HEADER.replace("Sở Tài chính báo cáo kết quả như sau.",
                          "Thực hiện Công văn số 5/SNV-CCHC của Sở Nội vụ về việc báo cáo CCHC, Sở báo cáo:")
    assert extract_metadata(text).agency == "Sở Tài chính"
    no_header = text.split("BÁO CÁO", 1)[1].replace("Kính gửi", "\nKính gửi")
    assert extract_metadata("BÁO CÁO" + no_header).agency != "Sở Nội vụ"


@pytest.mark.parametrize("header, agency, province", [
    ("ỦY BAN NHÂN DÂN\nHUYỆN ĐIỆN BÀN", "Ủy ban nhân dân huyện Điện Bàn", "Quảng Nam"),
    ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG", "Ủy ban nhân dân thành phố", "Đà Nẵng"),
])
def test_a_peoples_committee_reports(header, agency, province):
    text = (f"{header}\nSố: 4/BC-UBND\nĐiện Bàn, ngày 5 tháng 10 năm 2021\n\nBÁO CÁO\nKết quả CCHC năm 2021\n\n"
            f"Kính gửi: Sở Nội vụ tỉnh Quảng Nam\n\nNội dung." if "HUYỆN" in header else
            f"{header}\nSố: 4/BC-UBND\nĐà Nẵng, ngày 5 tháng 10 năm 2021\n\nBÁO CÁO\nKết quả CCHC năm 2021\n\nNội dung.")
    m = extract_metadata(text)
    assert (m.agency, m.province) == (agency, province)


@pytest.mark.parametrize("bodies, agency, province", [
    ("UBND TỈNH BÌNH ĐỊNH\nVĂN PHÒNG", "Văn phòng Ủy ban nhân dân tỉnh", "Bình Định"),   # a unit of its parent
    ("BỘ NỘI VỤ\nTHANH TRA", "Thanh tra Bộ Nội vụ", None),
    ("UBND HUYỆN ĐẠI LỘC\nPHÒNG NỘI VỤ", "Phòng Nội vụ", "Quảng Nam"),               # its proper name capitalised
    ("UBND TỈNH BÌNH DƯƠNG\nBAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH", "Ban Chỉ đạo cải cách hành chính", "Bình Dương"),
])
def test_units_under_a_parent_body(bodies, agency, province):
    m = extract_metadata(HEADER.replace("UBND TỈNH THÁI BÌNH\nSỞ TÀI CHÍNH", bodies).replace("Thái Bình, ngày",
                                                                                          "ngày"))
    assert (m.agency, m.province) == (agency, province)


NEWS = """Tin cải cách hành chính
Trung tâm Hành chính công tỉnh Vĩnh Phúc: gần 97% hồ sơ trả đúng hạn
6/4/19 3:43 PM

Trong tháng 5/2019 (từ 21/4 đến 20/5/2019), Trung tâm tiếp nhận mới hơn 2.500 hồ sơ."""


def test_a_portal_item():
    m = extract_metadata(NEWS)
    assert (m.doc_kind, m.agency, m.province) == ("news", "Trung tâm Hành chính công tỉnh", "Vĩnh Phúc")
    assert (m.issued_date, m.report_type, m.doc_number, m.signer) == ("2019-06-04", "tthc_control", None, None)
    assert (m.period.kind, m.period.start_date, m.period.end_date) == ("range", "2019-04-21", "2019-05-20")


@pytest.mark.parametrize("lead, agency", [
    ("(Chinhphu.vn) – Ngày 9/9, Văn phòng Chính phủ có văn bản số 7565/VPCP-KGVX gửi các bộ.", "Văn phòng Chính phủ"),
    ("Ngày 5/4/2023, Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ đã ký ban hành Thông tư số 01/2023/TT-VPCP.", None),
    ("Ngày 04/5/2020, Chủ tịch UBND tỉnh đã có Công văn số 3605/UBND-HCC.", None),
    ("Theo thống kê trên Cổng dịch vụ công của tỉnh, UBND huyện Krông Năng tiếp nhận 4.772 hồ sơ.", None),
])
def test_a_portal_items_reporting_body_opens_its_lead(lead, agency):
    assert extract_metadata(lead).agency == agency


def test_a_central_body_has_no_province_whatever_it_names():
    text = "(Chinhphu.vn) – Văn phòng Chính phủ đề nghị UBND Thành phố Hà Nội, UBND TPHCM báo cáo quý III/2016."
    m = extract_metadata(text)
    assert (m.agency, m.province) == ("Văn phòng Chính phủ", None)
    assert (m.period.kind, m.period.year, m.period.index) == ("quarter", 2016, 3)


def test_the_province_from_its_districts_alone():
    text = "Các đơn vị tiếp nhận nhiều hồ sơ: UBND huyện Krông Năng (4.772 hồ sơ), UBND huyện Cư M’gar (2.977 hồ sơ)."
    assert extract_metadata(text).province == "Đắk Lắk"


DECISION = """ỦY BAN NHÂN DÂN
TỈNH YÊN BÁI
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 876/QĐ-UBND
Yên Bái, ngày 22 tháng 6 năm 2011
QUYẾT ĐỊNH
VỀ VIỆC BAN HÀNH QUY CHẾ THEO NGHỊ ĐỊNH SỐ 63/2010/NĐ-CP NGÀY 08/6/2010
ỦY BAN NHÂN DÂN TỈNH YÊN BÁI
Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về cải cách hành chính năm 2011;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế.
Nơi nhận:
- Như Điều 1;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Phạm Duy Cường
"""


def test_a_decision():
    m = extract_metadata(DECISION)
    assert (m.doc_kind, m.agency, m.province, m.doc_number, m.issued_date) == (
        "quyết định", "Ủy ban nhân dân tỉnh", "Yên Bái", "876/QĐ-UBND", "2011-06-22")
    assert (m.signer, m.signer_title, m.report_type, m.period) == ("Phạm Duy Cường", "CHỦ TỊCH", "other", None)
    assert m.issuer == "ỦY BAN NHÂN DÂN TỈNH YÊN BÁI"


def test_a_decision_or_plan_whose_subject_names_a_year_covers_it():
    m = extract_metadata(DECISION.replace("VỀ VIỆC BAN HÀNH QUY CHẾ THEO NGHỊ ĐỊNH SỐ 63/2010/NĐ-CP NGÀY 08/6/2010",
                                          "BAN HÀNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2012"))
    assert (m.period.kind, m.period.year) == ("year", 2012)


def test_the_authority_line_completes_a_cut_issuer():
    m = extract_metadata(DECISION.replace("ỦY BAN NHÂN DÂN\nTỈNH YÊN BÁI\n", "ỦY BAN NHÂN DÂN\n")
                         .replace("Yên Bái, ngày", "Hà Nội, ngày"))
    assert (m.agency, m.province) == ("Ủy ban nhân dân tỉnh", "Yên Bái")
