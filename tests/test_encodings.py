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
