"""The section tree and the blocks around it, on small reports written for the test."""
import pytest

from parmine.extract.sections import format_tree, parse_sections, roman_value, section_at, top_sections

REPORT = """UBND TỈNH NINH BÌNH
SỞ TƯ PHÁP

BÁO CÁO
Kết quả công tác cải cách hành chính quý I năm 2022

Kính gửi: Sở Nội vụ tỉnh Ninh Bình

Thực hiện Kế hoạch của UBND tỉnh, Sở Tư pháp báo cáo như sau:

I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
1. Về kế hoạch
Đã ban hành kế hoạch năm; triển khai quý III năm 2021 như Khóa XI đã nêu.
1.1. Kế hoạch năm
a) Nội dung thứ nhất
đ) Nội dung thứ năm
II. Kết quả thực hiện:
1. Cải cách thủ tục hành chính.
- Đã công khai đầy đủ.
III. PHƯƠNG HƯỚNG
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Trần Văn Bình
"""


def body(text):
    return [(s.path, s.title) for s in parse_sections(text) if s.kind == "body"]


def test_tree_paths_and_titles():
    assert body(REPORT) == [
        ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"), ("I.1", "Về kế hoạch"), ("I.1.1", "Kế hoạch năm"),
        ("I.1.1.a", "Nội dung thứ nhất"), ("I.1.1.đ", "Nội dung thứ năm"),
        ("II", "Kết quả thực hiện"), ("II.1", "Cải cách thủ tục hành chính"), ("III", "PHƯƠNG HƯỚNG")]


def test_blocks_are_not_sections():
    kinds = [s.kind for s in parse_sections(REPORT) if s.kind != "body"]
    assert kinds == ["header", "recipients", "closing", "signature"]
    assert all(s.kind == "body" for s in top_sections(parse_sections(REPORT)))


def test_spans_nest_and_section_at_finds_the_deepest():
    secs = parse_sections(REPORT)
    at = REPORT.index("Nội dung thứ năm")
    assert section_at(secs, at).path == "I.1.1.đ"
    assert section_at(secs, REPORT.index("Đã công khai")).path == "II.1"
    assert section_at(secs, REPORT.index("Trần Văn Bình")) is None
    one = next(s for s in secs if s.path == "I")
    assert REPORT[one.start:one.end].startswith("I. CÔNG TÁC") and "II." not in REPORT[one.start:one.end]


@pytest.mark.parametrize("line, number", [
    ("Il. Đánh giá chung", "II"), ("1I. Đánh giá chung", "II"), ("V1. Kiến nghị", "VI"),
    ("IH. Phương hướng", "III"), ("IV Đề xuất", None), ("XXI. Không có", None),
])
def test_ocr_confusions_in_roman_numerals(line, number):
    got = [s.number for s in parse_sections("Mở đầu.\n" + line + "\nNội dung.") if s.level == 1]
    assert got == ([number] if number else [])


@pytest.mark.parametrize("first, second", [
    ("I- CÔNG TÁC CHỈ ĐẠO", "II- KẾT QUẢ"), ("I/ CÔNG TÁC CHỈ ĐẠO", "II/ KẾT QUẢ"),
    ("**I. CÔNG TÁC CHỈ ĐẠO**", "**II. KẾT QUẢ**"), ("### I. CÔNG TÁC CHỈ ĐẠO", "### II. KẾT QUẢ"),
])
def test_other_separators_and_markdown_around_headings(first, second):
    text = f"BÁO CÁO\nKết quả CCHC quý I năm 2022\n\n{first}\nNội dung.\n{second}\nNội dung."
    assert body(text) == [("I", "CÔNG TÁC CHỈ ĐẠO"), ("II", "KẾT QUẢ")]


def test_a_run_in_heading_is_the_words_before_its_colon():
    text = "Mở đầu.\nI. Công tác chỉ đạo: Sở đã ban hành kế hoạch cải cách hành chính năm.\nII. Kết quả\nNội dung."
    assert body(text) == [("I", "Công tác chỉ đạo"), ("II", "Kết quả")]
    # "IV - 2" is no heading: a dash before a capital only
    assert body("Mở đầu.\nIV - 2 đơn vị chưa báo cáo.") == []


def test_repeated_and_skipped_numbers_are_kept():
    text = "I. Một\nnội dung\nIII. Ba\nIII. Ba nữa\nV. Năm"
    assert [s.number for s in top_sections(parse_sections(text))] == ["I", "III", "III", "V"]


def test_heading_broken_over_two_lines():
    text = "I. KẾT QUẢ THỰC HIỆN CÔNG TÁC KIỂM SOÁT\nTHỦ TỤC HÀNH CHÍNH\nNội dung báo cáo."
    assert body(text) == [("I", "KẾT QUẢ THỰC HIỆN CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH")]


def test_roman_numerals_inside_sentences_are_not_headings():
    text = "Trong quý III năm 2020 và Khóa XI, kết quả tốt.\nĐại hội XIII. Đã triển khai"
    assert top_sections(parse_sections(text)) == []


def test_page_number_between_lines_does_not_break_the_tree():
    text = "I. Chỉ đạo\nNội dung trang một\n\n3\n\ntiếp tục trang hai.\nII. Đánh giá"
    assert [s.number for s in top_sections(parse_sections(text))] == ["I", "II"]


def test_appendix_after_the_signature():
    text = REPORT + "\nPHỤ LỤC\nI. Biểu tổng hợp\nSố liệu"
    secs = parse_sections(text)
    assert secs[-1].kind == "appendix" and [s.number for s in top_sections(secs)] == ["I", "II", "III"]


def test_roman_values():
    assert [roman_value(t) for t in ("I", "IV", "IX", "XIV", "XX", "Il", "IIII")] == [1, 4, 9, 14, 20, 2, None]


def test_format_tree_is_readable():
    tree = format_tree(parse_sections(REPORT))
    assert "I. CÔNG TÁC CHỈ ĐẠO" in tree and "    (I.1.1.a)" in tree and "a) Nội dung" in tree


@pytest.mark.parametrize("first", ["{ CÔNG TÁC CHỈ ĐẠO", "1. CÔNG TÁC CHỈ ĐẠO", "[ Công tác chỉ đạo"])
def test_ocr_readings_of_the_first_heading(first):
    text = f"Mở đầu.\n{first}\nNội dung.\nII. ĐÁNH GIÁ CHUNG\nNội dung."
    assert [s.number for s in top_sections(parse_sections(text))] == ["I", "II"]


def test_a_real_first_subsection_stays_arabic():
    text = "Mở đầu.\n1. Về kế hoạch\nNội dung.\n2. Về kiểm tra\nII. ĐÁNH GIÁ\n"
    assert [s.number for s in top_sections(parse_sections(text))] == ["II"]
    text = "Mở đầu.\n1. Kết quả chung:\n1. Công tác chỉ đạo\nII. Đánh giá\n"
    assert [s.number for s in top_sections(parse_sections(text))] == ["I", "II"]


def test_ocr_h_for_ii_only_before_capitals():
    assert [s.number for s in top_sections(parse_sections("I. MỘT\nH. ĐÁNH GIÁ CHUNG\n"))] == ["I", "II"]
    assert [s.number for s in top_sections(parse_sections("I. MỘT\nH. Nguyễn Văn A đã ký\n"))] == ["I"]
