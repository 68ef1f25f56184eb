"""The signature block and the grammar of Vietnamese personal names."""
import pytest

from parmine.extract.names import person_name, trailing_name
from parmine.extract.signature import read_signature

BODY = "Điều 3. Chánh Văn phòng và Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.\n"


@pytest.mark.parametrize("block, authority, title, name", [
    ("Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nHứa Ngọc Thuận",
     "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hứa Ngọc Thuận"),
    ("| Nơi nhận: - Như trên; - Lưu: VT. | KT. BỘ TRƯỞNG THỨ TRƯỞNG Bùi Hồng Lĩnh |",
     "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Bùi Hồng Lĩnh"),
    ("|  | TM. UỶ BAN NHÂN DÂN TỈNH CHỦ TỊCH Chẩu Văn Lâm |", "TM. UỶ BAN NHÂN DÂN TỈNH", "CHỦ TỊCH", "Chẩu Văn Lâm"),
    ("| - Lưu: VT. | TL. BỘ TRƯỞNG CỤC TRƯỞNG CỤC NGƯỜI CÓ CÔNG Hoàng Công Thái |",
     "TL. BỘ TRƯỞNG", "CỤC TRƯỞNG", "Hoàng Công Thái"),
    ("|  | THỦ TƯỚNG Nguyễn Tấn Dũng |", None, "THỦ TƯỚNG", "Nguyễn Tấn Dũng"),
    # the head of a steering committee who holds another office: two titles, no form of authority
    ("| Nơi nhận: - Như trên; - Lưu: VT. | TRƯỞNG BAN PHÓ THỦ TƯỚNG Nguyễn Thiện Nhân |",
     None, "PHÓ THỦ TƯỚNG", "Nguyễn Thiện Nhân"),
    ("**KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**\n\nNGUYỄN XUÂN HẢI", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Xuân Hải"),
    ("Q. GIÁM ĐỐC\n\nLê Thị Hoa", "Q. GIÁM ĐỐC", None, "Lê Thị Hoa"),
])
def test_forms_of_authority_titles_and_names(block, authority, title, name):
    sig = read_signature(BODY + block)
    assert (sig.authority, sig.title, sig.name) == (authority, title, name)


def test_a_form_left_for_a_signature_has_no_signer_and_the_real_one_wins():
    template = "| NGƯỜI LẬP (Ký, ghi rõ họ và tên) | TM. ỦY BAN NHÂN DÂN CHỦ TỊCH (Ký, họ và tên, đóng dấu) |\n"
    assert read_signature(BODY + template).name is None
    real = "|  | TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Thu Hà |\n"
    assert read_signature(BODY + real + "\nPHỤ LỤC\n" + template).name == "Nguyễn Thị Thu Hà"


def test_a_name_alone_after_the_recipients():
    assert read_signature(BODY + "Nơi nhận:\n- Sở Nội vụ;\n- Lưu: VT.\n\n**ĐƯƠNG NGỌC TUẤN**").name == "Đương Ngọc Tuấn"


def test_no_block_no_signer():
    assert read_signature(BODY + "Nơi nhận:\n- Như trên;\n- Lưu: VT.") is None


@pytest.mark.parametrize("text, name", [
    ("Nguyễn Hữu Thắng", "Nguyễn Hữu Thắng"), ("HỨA NGỌC THUẬN", "Hứa Ngọc Thuận"), ("Lê Thị Hoa", "Lê Thị Hoa"),
    ("Nguyễn Khắc Định", "Nguyễn Khắc Định"), ("Tôn Nữ Thị Ninh", "Tôn Nữ Thị Ninh"),
    # headings, places, bodies, titles and mixed capitals are no names
    ("Quyết định", None), ("Chương Iii", None), ("Tỉnh Bắc Ninh", None), ("Nghĩa Việt Nam", None),
    ("Hà Nội", None), ("Lâm Đồng", None), ("PHÓ CHỦ TỊCH", None), ("Sở Tư pháp", None), ("Hà Nội 2020", None),
    ("Nguyễn", None), ("Nguyễn Văn An Bình Minh", None),
])
def test_personal_names(text, name):
    assert person_name(text) == name


def test_the_name_that_ends_a_line():
    line = "KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG NGUYỄN SINH HÙNG"
    assert trailing_name(line) == (line.index("NGUYỄN"), "Nguyễn Sinh Hùng")
    assert trailing_name("KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG") is None
