"""Vietnamese personal names.

A name is a family name (họ) from the common list, then one to three given
syllables (đệm + tên), each capitalised or all in capitals: "Nguyễn Hữu
Thắng", "HỨA NGỌC THUẬN", "Lê Thị Hoa".  A body ("Sở Tư pháp"), a place
("Quảng Trị") or a heading ("Quyết định", "Chương III") is not a name: none
of them starts with a family name and runs two to four syllables of letters
only.

>>> person_name("ĐƯƠNG NGỌC TUẤN"), person_name("Chương Iii"), person_name("Tỉnh Bắc Ninh")
('Đương Ngọc Tuấn', None, None)
>>> trailing_name("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hứa Ngọc Thuận")
(26, 'Hứa Ngọc Thuận')
"""
from __future__ import annotations

import regex

from .normalize import fold

# family names of Vietnam, the common ones and the rarer ones met in signatures
FAMILY_NAMES = frozenset(fold(n) for n in """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh
Trương Đinh Lâm Phùng Mai Tô Hà Tạ Quách Lương Lưu Thái Châu Cao Chu Diệp Đàm Giang Hứa Kiều
Khổng La Lạc Lại Mạc Nghiêm Ninh Nông Ông Phó Quản Tăng Thân Thạch Tiêu Tôn Triệu Từ Vi Viên
Hầu Khúc Khương Lục Mã Nhữ Ôn Phí Sầm Tòng Trang Trình Âu Bạch Bế Cù Cấn Đồng Đường Đới Hàn Hạ
Kim Lã Lò Lỗ Lù Mạch Mẫn Ngọ Phương Thiều Tống Trà Vòng Đương Doãn Giáp Hoàng Hồng Kha Khuất
Lữ Mông Nhan Quang Tào Thiệu Thịnh Tiết Trầm Văn Vưu Yên Âu Dư Đái Đăng Đậu Đổng Hàm Hán Hình
Hoa Kiểu Lạng Liêu Lò Lộc Luyện Mầu Mẫu Nghị Nguyên Ngụy Nhâm Ông Phẩm Phù Quan Sái Sơn Sử Tất
Thang Thoa Thông Tiền Trác Triệu Trưng Ưng Vi Vĩnh Yết Bàn Cà Đèo Giàng Hà Hoàng Lầu Lường Mè
Sùng Thào Vàng Vừ Ksor Siu Nay
""".split())

# syllables of titles and bodies, never of a signer's given name
_NOT_GIVEN = frozenset(fold(w) for w in """
chủ tịch giám đốc trưởng thứ tướng chánh ủy uỷ ban nhân dân tỉnh huyện xã phường sở bộ cục vụ phó
thủ nhiệm tổng kt tm tl tuq nơi nhận lưu mục điều phần phụ báo cáo
""".split())
_SYLLABLE = regex.compile(r"^[\p{Lu}][\p{Ll}\p{M}]{0,6}$|^[\p{Lu}\p{M}]{1,7}$")


def _is_given(word: str) -> bool:
    return bool(_SYLLABLE.match(word)) and word.isalpha()


def person_name(text: str) -> str | None:
    """``text`` in title case when it is a whole personal name, else None."""
    words = text.split()
    if not 2 <= len(words) <= 4 or fold(words[0]) not in FAMILY_NAMES:
        return None
    if not all(_is_given(w) for w in words) or any(fold(w) in _NOT_GIVEN for w in words[1:]):
        return None
    if text.isupper() is False and any(w.isupper() and len(w) > 1 for w in words):
        return None  # "Chương III", "Tỉnh UBND": mixed capitals are no name
    if _is_place(text):
        return None
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def _is_place(text: str) -> bool:
    from ..corpus.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    return gaz.find(text) is not None or gaz.locality(text) is not None


def trailing_name(text: str) -> tuple[int, str] | None:
    """The personal name that ends ``text`` (offset, title-cased name): the
    longest run of two to four final words that is a name."""
    words = list(regex.finditer(r"\S+", text.rstrip()))
    for n in (4, 3, 2):
        if len(words) < n:
            continue
        run = words[-n:]
        name = person_name(" ".join(w.group(0) for w in run))
        if name:
            return run[0].start(), name
    return None
