"""State bodies' names: the header's issuer block split and read."""
import pytest

from parmine.extract.bodies import read_body, split_bodies
from parmine.extract.kinds import kind_of_symbol, kind_of_word


@pytest.mark.parametrize("block, bodies", [
    ("UBND TỈNH QUẢNG TRỊ SỞ KHOA HỌC VÀ CÔNG NGHỆ", ["UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]),
    ("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", ["ỦY BAN NHÂN DÂN TỈNH BẮC GIANG"]),
    ("VĂN PHÒNG UBND TỈNH QUẢNG NAM", ["VĂN PHÒNG UBND TỈNH QUẢNG NAM"]),
    ("VĂN PHÒNG CHÍNH PHỦ", ["VĂN PHÒNG CHÍNH PHỦ"]),
    ("BỘ TÀI CHÍNH TỔNG CỤC THUẾ", ["BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ"]),
    ("ỦY BAN NHÂN DÂN HUYỆN ĐIỆN BÀN PHÒNG NỘI VỤ", ["ỦY BAN NHÂN DÂN HUYỆN ĐIỆN BÀN", "PHÒNG NỘI VỤ"]),
    ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", ["BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]),
    ("", []),
])
def test_split_an_issuer_block(block, bodies):
    assert split_bodies(block) == bodies


@pytest.mark.parametrize("name, agency, province, central", [
    ("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", "Ủy ban nhân dân tỉnh", "Bắc Giang", False),
    ("UBND THÀNH PHỐ ĐÀ NẴNG", "Ủy ban nhân dân thành phố", "Đà Nẵng", False),
    ("ỦY BAN NHÂN DÂN HUYỆN KRÔNG NĂNG", "Ủy ban nhân dân huyện Krông Năng", "Đắk Lắk", False),
    ("ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH", "Ủy ban nhân dân thành phố", "Hồ Chí Minh", False),
    ("SỞ TƯ PHÁP TỈNH NINH BÌNH", "Sở Tư pháp", "Ninh Bình", False),
    ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH LẠNG SƠN", "Trung tâm Phục vụ hành chính công tỉnh", "Lạng Sơn", False),
    ("B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI", "Bộ Lao động - Thương binh và Xã hội", None, True),
    ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ", None, True),
    ("CỤC THUẾ TỈNH GIA LAI", "Cục Thuế", "Gia Lai", False),
    ("TỔNG CỤC THUẾ", "Tổng cục Thuế", None, True),
])
def test_read_a_body(name, agency, province, central):
    b = read_body(name)
    assert (b.agency, b.province, b.central) == (agency, province, central)


@pytest.mark.parametrize("symbol, kind", [
    ("25/2019/QĐ-UBND", "quyết định"), ("12/BC-SKHCN", "báo cáo"), ("215/TTr-SNV", "tờ trình"),
    ("1523/UBND-NC", "công văn"), ("4129/VPCP-KSTT", "công văn"), ("80/2015/QH13", "luật"),
    ("01/2011/TTLT-VPCP-BNV", "thông tư liên tịch"), ("836/VBHN-BLĐTBXH", "văn bản hợp nhất"),
    ("18-NQ/TW", "nghị quyết"), ("12", None),
])
def test_kind_of_a_number_symbol(symbol, kind):
    assert kind_of_symbol(symbol) == kind


def test_kind_words():
    assert [kind_of_word(w) for w in ("QUYẾT ĐỊNH", "**BÁO CÁO**", "Thông tư liên tịch", "KÍNH GỬI")] == \
        ["quyết định", "báo cáo", "thông tư liên tịch", None]
