"""Encoding detection and the legacy TCVN3 / VNI encodings."""
import pytest
from conftest import SEEDS

from parmine.corpus.encodings import decode_bytes, decode_tcvn3, decode_vni, encode_tcvn3, encode_vni
from parmine.corpus.ingest import read


def cp1258(text: str) -> bytes:
    """Windows-1258 keeps â ă ê ô ơ ư đ precomposed and writes tones as combining marks."""
    import unicodedata
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


SAMPLE = "Báo cáo kết quả giải quyết thủ tục hành chính quý II năm 2021 của Sở Tư pháp tỉnh Đắk Lắk."


@pytest.mark.parametrize("encode, name", [
    (lambda s: s.encode("utf-8"), "utf-8"),
    (lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), "utf-8-sig"),
    (lambda s: s.encode("utf-16"), "utf-16"),
    (cp1258, "windows-1258"),
    (encode_tcvn3, "tcvn3"),
    (encode_vni, "vni"),
])
def test_detects_the_encoding(encode, name):
    text, found = decode_bytes(encode(SAMPLE))
    assert found == name
    assert text == SAMPLE


def test_known_byte_values():
    assert encode_tcvn3("á") == b"\xb8" and encode_tcvn3("ư") == b"\xad" and encode_tcvn3("Đ") == b"\xa7"
    assert encode_vni("á") == b"a\xf9" and encode_vni("đ") == b"\xf1" and encode_vni("ấ") == b"a\xe1"
    assert decode_vni(b"Ba\xf9o ca\xf9o") == "Báo cáo"
    assert decode_tcvn3(b"B\xb8o c\xb8o") == "Báo cáo"


def test_tcvn3_capitals_follow_their_word():
    # TCVN3 writes a toned capital with the lower-case code
    assert decode_tcvn3(encode_tcvn3("KẾT QUẢ THỰC HIỆN")) == "KẾT QUẢ THỰC HIỆN"
    assert decode_tcvn3(encode_tcvn3("Sở Tư pháp. Ủy ban họp.")) == "Sở Tư pháp. Ủy ban họp."


@pytest.mark.parametrize("stem", ["000_8ec424762efb3ebc", "002_db644a6e68f0f5dc"])
def test_tcvn3_copy_of_a_seed_reads_back(tmp_path, stem):
    text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    f = tmp_path / f"{stem}.txt"
    f.write_bytes(encode_tcvn3(text))
    doc = read(f)
    utf = tmp_path / "utf" / f"{stem}.txt"
    utf.parent.mkdir()
    utf.write_text(text, encoding="utf-8")
    assert doc.pages[0].text == read(utf).pages[0].text
    assert "decoded from tcvn3" in doc.warnings


def test_vni_copy_of_every_seed_reads_back(tmp_path, seed_stems):
    for stem in seed_stems:
        text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
        (tmp_path / "vni").mkdir(exist_ok=True)
        (tmp_path / "utf").mkdir(exist_ok=True)
        (tmp_path / "vni" / f"{stem}.txt").write_bytes(encode_vni(text))
        (tmp_path / "utf" / f"{stem}.txt").write_text(text, encoding="utf-8")
        got = read(tmp_path / "vni" / f"{stem}.txt")
        want = read(tmp_path / "utf" / f"{stem}.txt")
        assert [p.text for p in got.pages] == [p.text for p in want.pages], stem
        assert [t.rows for t in got.tables] == [t.rows for t in want.tables], stem


def _with_stray_byte(data: bytes) -> bytes:
    """``data`` with one 0xFF put between two characters in the middle."""
    mid = len(data) // 2
    while data[mid] >= 0x80:  # not inside a multi-byte character
        mid += 1
    return data[:mid] + b"\xff" + data[mid:]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_one_stray_byte_does_not_change_the_encoding_of_a_utf8_file(tmp_path, bom):
    text = (SEEDS / "000_8ec424762efb3ebc.txt").read_text(encoding="utf-8")
    got, name = decode_bytes(bom + _with_stray_byte(text.encode("utf-8")))
    assert name == ("utf-8-sig" if bom else "utf-8")
    assert got.count("\ufffd") == 1 and got.replace("\ufffd", "") == text
    f = tmp_path / "bc.txt"
    f.write_bytes(bom + _with_stray_byte(text.encode("utf-8")))
    doc = read(f)
    assert any("replaced by U+FFFD" in w for w in doc.warnings)
    assert not any("decoded from" in w for w in doc.warnings)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom(tmp_path, codec):
    text = (SEEDS / "003_46d9f00a676a4ea6.txt").read_text(encoding="utf-8")
    assert decode_bytes(text.encode(codec)) == (text, codec)
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    (tmp_path / "wide.txt").write_bytes(text.encode(codec))
    assert [p.text for p in read(tmp_path / "wide.txt").pages] == [p.text for p in read(tmp_path / "utf8.txt").pages]


def test_utf32_with_a_bom_is_not_taken_for_utf16():
    text, name = decode_bytes(SAMPLE.encode("utf-32"))
    assert (text, name) == (SAMPLE, "utf-32")
