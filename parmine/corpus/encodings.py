"""Legacy Vietnamese 8-bit encodings and encoding detection.

Older government files were typed with font-based encodings, not Unicode:

- **TCVN3 (ABC)**, TCVN 5712:1993 — one byte per precomposed lower-case
  letter ("á" = 0xB8, "ư" = 0xAD, "đ" = 0xAE); upper case is the same code in
  the ".VnTimeH" font, so a plain-text TCVN3 file can only carry upper-case
  base letters (Ă Â Ê Ô Ơ Ư Đ = 0xA1–0xA7) and upper-case letters without a
  tone.  Read as Windows-1252 it looks like "B¸o c¸o" for "Báo cáo".
- **VNI (VNI-Windows)** — a base letter followed by one or two mark bytes
  ("á" = "a" + 0xF9 "ù", "ấ" = "a" + 0xE1 "á", "đ" = 0xF1 "ñ"); read as
  Windows-1252 it looks like "Baùo caùo".

:func:`decode_bytes` follows a byte-order mark (UTF-8, UTF-16, UTF-32) when
there is one; otherwise it takes strict UTF-8 when the file is, and else
keeps the reading that looks most like Vietnamese among UTF-8 with its few
invalid bytes replaced (one stray byte does not make a Unicode file legacy),
UTF-16 and UTF-32 without a mark (when the file is full of NUL bytes),
Windows-1258, TCVN3 and VNI; the result is NFC.
"""
from __future__ import annotations

import unicodedata

import regex

# --- TCVN3 -----------------------------------------------------------------
_TCVN3_LOWER = {
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ă": 0xA8, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "â": 0xA9, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "đ": 0xAE,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ê": 0xAA, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ô": 0xAB, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ơ": 0xAC, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ư": 0xAD, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}
_TCVN3_ENC = {**_TCVN3_LOWER, **_TCVN3_UPPER}
_TCVN3_DEC = {b: ch for ch, b in _TCVN3_ENC.items()}

# --- VNI -------------------------------------------------------------------
# tone marks after a vowel: sắc, huyền, hỏi, ngã, nặng
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
# tone marks after â/ê/ô (circumflex) and after ă (breve)
_VNI_CIRC_TONE = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE_TONE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
# i, y and their capitals have their own single-byte forms for some tones
_VNI_SINGLE = {"í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î",
               "Í": "Í", "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò", "Ỵ": "Î",
               "đ": "ñ", "Đ": "Ñ", "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö"}


def _vni_of(ch: str) -> str:
    """The VNI spelling (as cp1252 characters) of one Vietnamese letter."""
    if ch in _VNI_SINGLE:
        return _VNI_SINGLE[ch]
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in _VNI_TONE), "")
    shape = next((m for m in marks if m in ("\u0302", "\u0306", "\u031b")), "")
    upper = base.isupper()

    def up(s: str) -> str:
        return s.upper() if upper else s

    if shape == "\u0302":  # â ê ô
        return base + up(_VNI_CIRC_TONE[tone])
    if shape == "\u0306":  # ă
        return base + up(_VNI_BREVE_TONE[tone])
    if shape == "\u031b":  # ơ ư + tone
        head = {"o": "ô", "u": "ö", "O": "Ô", "U": "Ö"}[base]
        return head + (up(_VNI_TONE[tone]) if tone else "")
    if tone and base.lower() in "aeiouy":
        single = unicodedata.normalize("NFC", base + tone)
        if single in _VNI_SINGLE:
            return _VNI_SINGLE[single]
        return base + up(_VNI_TONE[tone])
    return ch


_VIET = regex.compile(r"[^\x00-\x7f]")


def encode_vni(text: str) -> bytes:
    """Unicode → VNI bytes: "Báo cáo" → b"Ba\\xf9o ca\\xf9o"."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        out.append(_vni_of(ch) if _VIET.match(ch) else ch)
    return "".join(out).encode("cp1252")


def _vni_decoder():
    table: dict[str, str] = {}
    letters = set()
    for base in "aeiouyAEIOUYdD":
        for mark in ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]:
            for shape in ["", "\u0302", "\u0306", "\u031b"]:
                ch = unicodedata.normalize("NFC", base + shape + mark)
                if len(ch) == 1:
                    letters.add(ch)
    letters |= {"đ", "Đ"}
    for ch in letters:
        v = _vni_of(ch)
        if v != ch:
            table[v] = ch
    keys = sorted(table, key=len, reverse=True)
    pattern = regex.compile("|".join(regex.escape(k) for k in keys))
    return table, pattern


_VNI_TABLE, _VNI_PATTERN = _vni_decoder()


def decode_vni(data: bytes) -> str:
    """VNI bytes → Unicode NFC."""
    raw = data.decode("cp1252", errors="replace")
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: _VNI_TABLE[m.group(0)], raw))


def encode_tcvn3(text: str) -> bytes:
    """Unicode → TCVN3 bytes: "Báo cáo" → b"B\\xb8o c\\xb8o".

    An upper-case letter with a tone has no code of its own in TCVN3 (it is
    the lower-case code in an upper-case font), so it is written as its
    lower-case code, as a TCVN3 editor would.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_ENC:
            out.append(_TCVN3_ENC[ch])
        elif ch.lower() in _TCVN3_LOWER:
            out.append(_TCVN3_LOWER[ch.lower()])
        else:
            out.extend(ch.encode("cp1252"))
    return bytes(out)


_CAPS_WORD = regex.compile(r"\p{L}+")
# toned letters: TCVN3 has no upper-case code for them
_AMBIGUOUS = "".join(c for c in _TCVN3_LOWER if c not in "ăâđêôơư")
_SENTENCE_START = regex.compile(
    rf"(?:^|(?<=[.!?]\s+)|(?<=\n(?:[\-+*•]|[a-zđ]\)|\d+(?:\.\d+)*\.?)?\s*))([{_AMBIGUOUS}])", regex.M)


def _restore_caps(m: regex.Match[str]) -> str:
    word = m.group(0)
    others = [c for c in word if c not in _AMBIGUOUS]
    if len(others) >= 2 and all(c.isupper() for c in others):
        return word.upper()
    return word


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 bytes → Unicode NFC (bytes outside the table read as cp1252).

    A toned letter inside an otherwise upper-case word is upper case
    ("B¸O C¸O" → "BÁO CÁO"): TCVN3 gives it the lower-case code.
    """
    out = []
    for b in data:
        if b in _TCVN3_DEC:
            out.append(_TCVN3_DEC[b])
        elif b < 0x80:
            out.append(chr(b))
        else:
            out.append(bytes([b]).decode("cp1252", errors="replace"))
    text = _CAPS_WORD.sub(_restore_caps, unicodedata.normalize("NFC", "".join(out)))
    text = _SENTENCE_START.sub(lambda m: m.group(1).upper(), text)
    return _CAPS_LINE.sub(_upper_caps_line, text)


_CAPS_LINE = regex.compile(r"^.*\p{Lu}.*$", regex.M)


def _upper_caps_line(m: regex.Match[str]) -> str:
    """A line written in capitals ("SỞ KHOA HỌC VÀ CÔNG NGHỆ") is capitals
    throughout, short words included."""
    line = m.group(0)
    letters = [c for c in line if c.isalpha() and c not in _AMBIGUOUS]
    if len(letters) >= 6 and all(c.isupper() for c in letters) and not regex.search(r"[\d/]", line):
        return line.upper()
    return line


# --- detection --------------------------------------------------------------
_VI_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
_COMMON = ("của", "và", "các", "được", "công", "trong", "thực", "hiện", "hành", "chính",
           "năm", "đã", "cho", "với", "theo", "số", "về", "người", "tỉnh", "quyết", "định")
_WORD = regex.compile(r"\p{L}+")


def vietnamese_score(text: str) -> float:
    """How much ``text`` looks like Vietnamese: share of common words among
    words, plus the share of Vietnamese letters among non-ASCII letters,
    minus replacement and control characters."""
    sample = text[:20000]
    words = _WORD.findall(sample.lower())
    if not words:
        return 0.0
    common = sum(w in _COMMON for w in words) / len(words)
    non_ascii = [c for c in sample.lower() if ord(c) > 127 and c.isalpha()]
    viet = (sum(c in _VI_LETTERS for c in non_ascii) / len(non_ascii)) if non_ascii else 0.0
    bad = sum(c == "\ufffd" or (ord(c) < 32 and c not in "\n\r\t\f") for c in sample) / len(sample)
    return common * 4 + viet - bad * 10


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
         (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"), (b"\xff\xfe", "utf-16-le", "utf-16"),
         (b"\xfe\xff", "utf-16-be", "utf-16"))


def _wide(data: bytes) -> list[tuple[str, str]]:
    """UTF-16 and UTF-32 readings of a file without a byte-order mark, when
    it has the NUL bytes they put beside ASCII letters."""
    if data.count(0) < len(data) // 8:
        return []
    out = []
    for codec, width in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        if len(data) % width == 0:
            try:
                out.append((unicodedata.normalize("NFC", data.decode(codec)), codec))
            except UnicodeDecodeError:
                pass
    return out


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file: returns (text in NFC, encoding name).  Invalid
    bytes in a Unicode reading become U+FFFD.

    Raises UnicodeError when no reading gives text.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return unicodedata.normalize("NFC", data[len(bom):].decode(codec, errors="replace")), name
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = _wide(data)
    candidates.append((unicodedata.normalize("NFC", data.decode("utf-8", errors="replace")), "utf-8"))
    try:
        candidates.append((unicodedata.normalize("NFC", data.decode("cp1258")), "windows-1258"))
    except UnicodeDecodeError:
        pass
    candidates.append((decode_tcvn3(data), "tcvn3"))
    candidates.append((decode_vni(data), "vni"))
    return max(candidates, key=lambda c: vietnamese_score(c[0]))
