"""The header of the national document format in every layout it reaches us in."""
import pytest

from parmine.extract.header import read_header

LINES = """UBND TỈNH QUẢNG TRỊ
SỞ KHOA HỌC VÀ CÔNG NGHỆ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 12/BC-SKHCN
Đông Hà, ngày 15 tháng 11 năm 2019

BÁO CÁO
Kết quả công tác cải cách hành chính
quý III năm 2019

Kính gửi: Sở Nội vụ tỉnh Quảng Trị
Nội dung báo cáo."""

INTERLEAVED = """UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ KHOA HỌC VÀ CÔNG NGHỆ Độc lập - Tự do - Hạnh phúc
Số: 12/BC-SKHCN Đông Hà, ngày 15 tháng 11 năm 2019
BÁO CÁO
Kết quả công tác cải cách hành chính quý III năm 2019
Thực hiện Kế hoạch số 3/KH-UBND, Sở báo cáo như sau."""

TABLE = """*Source: https://example.vn/van-ban/quyet-dinh-49-2012*

# Ban hành quy chế quản lý kinh phí trên địa bàn thành phố

| ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH -------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |
|---|---|
| Số: 49/2012/QĐ-UBND | Thành phố Hồ Chí Minh, ngày 23 tháng 10 năm 2012 |

QUYẾT ĐỊNH

BAN HÀNH QUY CHẾ QUẢN LÝ KINH PHÍ

ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH

Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;"""

PIPE_LINES = """VĂN PHÒNG CHÍNH
PHỦ
-------
|
CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
|
Số: 7/BC-VPCP
|
Hà Nội, ngày 12
tháng 07 năm 2017
|
BÁO CÁO
TÌNH HÌNH THỰC HIỆN CHÍNH PHỦ ĐIỆN TỬ QUÝ II NĂM 2017
Thực hiện nhiệm vụ được giao, Văn phòng Chính phủ báo cáo như sau:"""

LETTER = """| BỘ XÂY DỰNG ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |
|---|---|
| Số: 2214/BXD-QLN V/v: Hỗ trợ người có công với cách mạng về nhà ở. | Hà Nội, ngày 23 tháng 10 năm 2013 |

Kính gửi: Ủy ban nhân dân các tỉnh"""


def test_plain_lines():
    h = read_header(LINES)
    assert h.bodies == ("UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    assert (h.doc_number, h.place, h.issued_date, h.kind) == ("12/BC-SKHCN", "Đông Hà", "2019-11-15", "báo cáo")
    assert h.title == "Kết quả công tác cải cách hành chính quý III năm 2019"
    assert LINES[h.end:].lstrip().startswith("Kính gửi")


def test_two_columns_interleaved_by_extraction():
    h = read_header(INTERLEAVED)
    assert h.bodies == ("UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    assert (h.doc_number, h.place, h.issued_date) == ("12/BC-SKHCN", "Đông Hà", "2019-11-15")
    assert h.title == "Kết quả công tác cải cách hành chính quý III năm 2019"


def test_crawled_markdown_table_with_site_lines_and_authority():
    h = read_header(TABLE)
    assert h.layout == "table"
    assert h.bodies == ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",)
    assert (h.doc_number, h.issued_date, h.kind) == ("49/2012/QĐ-UBND", "2012-10-23", "quyết định")
    assert h.title == "BAN HÀNH QUY CHẾ QUẢN LÝ KINH PHÍ"
    assert h.authority == "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"
    assert TABLE[h.end:].lstrip().startswith("Căn cứ")


def test_cells_one_per_line_and_a_body_name_broken_over_lines():
    h = read_header(PIPE_LINES)
    assert h.bodies == ("VĂN PHÒNG CHÍNH PHỦ",)
    assert (h.doc_number, h.issued_date, h.kind) == ("7/BC-VPCP", "2017-07-12", "báo cáo")
    assert h.title.startswith("TÌNH HÌNH THỰC HIỆN")


def test_official_letter_has_no_kind_word_but_a_subject_line():
    h = read_header(LETTER)
    assert (h.kind, h.doc_number) == ("công văn", "2214/BXD-QLN")
    assert h.title == "Hỗ trợ người có công với cách mạng về nhà ở."


@pytest.mark.parametrize("number, expected", [
    ("Số:      /BC-UBND", None), ("Số: 3210/QĐ - U B ND", "3210/QĐ-UBND"),
    ("Số: 5162 /VBHN-BLĐTBXH", "5162/VBHN-BLĐTBXH"), ("Số: 170/2008/QĐ-TTg", "170/2008/QĐ-TTg"),
    ("Số: 1255/QĐ-UBND-HC", "1255/QĐ-UBND-HC"), ("Số 18-NQ/TU", "18-NQ/TU"),
])
def test_number_symbols(number, expected):
    assert read_header(LINES.replace("Số: 12/BC-SKHCN", number)).doc_number == expected


@pytest.mark.parametrize("line, expected", [
    ("Hà Nội, ngày      tháng 8 năm 2024", "2024-08"),
    ("Hà Nội, ngày 20 tháng 0 7 năm 2018", "2018-07-20"),
    ("T hành phố Hồ Chí M inh, ngày 28 tháng 6 năm 2014", "2014-06-28"),
    ("Hà Nội , ngày 27 tháng 10 năm 2014", "2014-10-27"),
])
def test_place_and_date_lines(line, expected):
    assert read_header(LINES.replace("Đông Hà, ngày 15 tháng 11 năm 2019", line)).issued_date == expected


def test_kind_from_the_symbol_when_the_site_dropped_the_kind_word():
    text = TABLE.replace("QUYẾT ĐỊNH\n\nBAN HÀNH", "VỀ VIỆC BAN HÀNH")
    h = read_header(text)
    assert h.kind == "quyết định" and h.title == "VỀ VIỆC BAN HÀNH QUY CHẾ QUẢN LÝ KINH PHÍ"


def test_consolidated_text_keeps_its_own_kind():
    text = TABLE.replace("49/2012/QĐ-UBND", "836/VBHN-BLĐTBXH")
    assert read_header(text).kind == "văn bản hợp nhất"


def test_legal_database_metadata_block():
    text = ("Số hiệu: 119/QĐ-UBND\nLoại văn bản: Quyết định\nNơi ban hành: Tỉnh Bắc Giang\n"
            "Người ký: Nguyễn Văn Linh\nNgày ban hành: 23/11/2009\n\nNội dung toàn văn đang cập nhật.")
    h = read_header(text)
    assert h.layout == "site"
    assert (h.doc_number, h.kind, h.signer, h.issued_date) == ("119/QĐ-UBND", "quyết định", "Nguyễn Văn Linh",
                                                               "2009-11-23")
    assert h.bodies == ("Tỉnh Bắc Giang",)


@pytest.mark.parametrize("stamp, expected", [
    ("Cập nhật lúc: 19:52 04/04/2018", "2018-04-04"),
    ("6/4/19 3:43 PM", "2019-06-04"),           # month first before a 12-hour clock
    ("Ngày 8 tháng 7 năm 2019.", "2019-07-08"),
    ("Submitted by Ban biên tập on 19 January 2018", "2018-01-19"),
    ("Thứ hai, 10/04/2023 08:15", "2023-04-10"),
])
def test_portal_item_headline_and_posting_date(stamp, expected):
    text = f"Tin cải cách hành chính\nTrung tâm Hành chính công tỉnh: 97% hồ sơ đúng hạn\n{stamp}\n\nTrong tháng 5, Trung tâm tiếp nhận 2.500 hồ sơ."
    h = read_header(text)
    assert h.layout == "portal" and h.issued_date == expected and h.headline
    assert h.title == "Trung tâm Hành chính công tỉnh: 97% hồ sơ đúng hạn"
    assert text[h.end:].lstrip().startswith("Trong tháng 5")


def test_a_page_without_any_header():
    h = read_header("Năm 2023, công tác cải cách hành chính của huyện tiếp tục được chỉ đạo quyết liệt, đạt nhiều kết quả.")
    assert (h.layout, h.kind, h.doc_number, h.issued_date, h.bodies) == ("none", None, None, None, ())


def test_a_numbered_first_line_is_no_headline():
    h = read_header("I. Một\nnội dung dài hơn dòng đầu\nII. Hai")
    assert h.title is None and h.end == 0


def test_site_metadata_on_one_line_and_in_a_table():
    h = read_header("Số hiệu: 49/2012/QĐ-UBND Loại văn bản: Quyết định Người ký: Hứa Ngọc Thuận\n"
                    "| Ngày ban hành: | 23/10/2012 | Tình trạng: | Còn hiệu lực |\n\nNội dung.")
    assert (h.doc_number, h.kind, h.signer, h.issued_date) == ("49/2012/QĐ-UBND", "quyết định", "Hứa Ngọc Thuận",
                                                               "2012-10-23")


@pytest.mark.parametrize("stamp, expected", [
    ("10:28 | 15/03/2024", "2024-03-15"), ("Thứ sáu, 15/3/2024, 10:05 (GMT+7)", "2024-03-15"),
    ("Cập nhật ngày: 2024-03-15", "2024-03-15"), ("(Ngày 15/03/2024)", "2024-03-15"),
    ("Ngày 15/3/2024 | Lượt xem: 1.204", "2024-03-15"), ("Thứ sáu, ngày 15/03/2024", "2024-03-15"),
    ("Thứ Sáu, 15 tháng 3, 2024", "2024-03-15"), ("Thứ sáu - 15/03/2024 10:05", "2024-03-15"),
    ("Posted: 15/03/2024", "2024-03-15"), ("Tin đăng ngày 15/03/2024", "2024-03-15"),
])
def test_more_posting_dates(stamp, expected):
    assert read_header(f"Tiêu đề bài viết về cải cách hành chính\n{stamp}\nNội dung bài viết.").issued_date == expected


def test_a_posting_date_above_the_headline():
    text = "Cập nhật: 12/06/2023\nTuy Phong tổng kết công tác cải cách hành chính năm 2023\n" \
           "UBND huyện Tuy Phong tổ chức hội nghị tổng kết công tác cải cách hành chính năm 2023, đạt nhiều kết quả."
    h = read_header(text)
    assert (h.issued_date, h.title) == ("2023-06-12", "Tuy Phong tổng kết công tác cải cách hành chính năm 2023")
    assert text[h.end:].lstrip().startswith("UBND huyện")


def test_the_right_column_extracted_before_the_left():
    text = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nUBND TỈNH NAM ĐỊNH\nSỞ NỘI VỤ\n"
            "Số: 5/BC-SNV\nNam Định, ngày 3 tháng 4 năm 2021\nBÁO CÁO\nCông tác CCHC quý I năm 2021\n\nNội dung.")
    h = read_header(text)
    assert h.bodies == ("UBND TỈNH NAM ĐỊNH", "SỞ NỘI VỤ") and h.doc_number == "5/BC-SNV"


def test_kind_word_and_subject_on_one_line():
    h = read_header(LINES.replace("BÁO CÁO\nKết quả", "BÁO CÁO Kết quả"))
    assert h.kind == "báo cáo" and h.title == "Kết quả công tác cải cách hành chính quý III năm 2019"
