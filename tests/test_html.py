"""Saved web pages: a portal's news item and a legal database's copy of a
decision, read as a reader sees them."""
import unicodedata

import pytest

from parmine import extract_file
from parmine.corpus.document import ReadError
from parmine.corpus.ingest import read
from parmine.corpus.readers.html import html_text

PORTAL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cổng thông tin</title>
<script>var views = 1204; document.write("<p>quảng cáo</p>");</script><style>p { color: red }</style></head>
<body><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức</a></li></ul></nav>
<div class="article"><h1>Trung tâm Hành chính công tỉnh Vĩnh Phúc: gần 97% hồ sơ trả đúng hạn</h1>
<div class="date">Cập nhật: 12/06/2019 09:15</div>
<p>Trong tháng 5/2019, Trung tâm Hành chính công tỉnh Vĩnh Phúc đã tiếp nhận 2.500 hồ sơ,
giải quyết đúng hạn 2.420&nbsp;hồ sơ.<p>Đoạn thứ hai &amp; cuối.</div>
<table><tr><th>Đơn vị</th><th>Tiếp nhận</th><th>Đúng hạn</th></tr>
<tr><td>Sở Tư pháp</td><td>1.200</td><td>1.180</td></tr><tr><td>Sở Xây dựng</td><td>1.300</td><td>1.240</td></tr>
</table></body></html>"""

DECISION = """<html><body><table><tr><td>ỦY BAN NHÂN DÂN<br>TỈNH BẠC LIÊU<br>-------</td>
<td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</td></tr>
<tr><td>Số: 25/QĐ-UBND</td><td><i>Bạc Liêu, ngày 10 tháng 01 năm 2022</i></td></tr></table>
<p align="center"><b>QUYẾT ĐỊNH</b></p><p align="center"><b>VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH</b></p>
<p>Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính;</p>
<p><b>Điều 1.</b> Công bố kèm theo Quyết định này danh mục thủ tục hành chính.</p>
<table><tr><td>Nơi nhận:<br>- Như Điều 3;<br>- Lưu: VT.</td>
<td>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH<br><br>Lê Văn Sử</td></tr></table></body></html>"""


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_a_portal_page_reads_as_its_article(tmp_path):
    text = html_text(PORTAL.encode("utf-8"))
    assert "Trang chủ" not in text and "var views" not in text and "color" not in text  # menu, script, style
    assert "Cổng thông tin" not in text  # the <head>'s title is the site's, not the article's
    assert text.splitlines()[:3] == [
        "Trung tâm Hành chính công tỉnh Vĩnh Phúc: gần 97% hồ sơ trả đúng hạn", "Cập nhật: 12/06/2019 09:15",
        "Trong tháng 5/2019, Trung tâm Hành chính công tỉnh Vĩnh Phúc đã tiếp nhận 2.500 hồ sơ, "
        "giải quyết đúng hạn 2.420 hồ sơ."]
    assert "Đoạn thứ hai & cuối." in text.splitlines()  # an unclosed <p> ends at the next one
    doc = read(write(tmp_path, "tin.html", PORTAL))
    assert doc.format == "html"
    (table,) = doc.tables  # the table of figures, cut out as a table
    assert table.rows == [["Đơn vị", "Tiếp nhận", "Đúng hạn"], ["Sở Tư pháp", "1.200", "1.180"],
                          ["Sở Xây dựng", "1.300", "1.240"]]
    ex = extract_file(tmp_path / "tin.html")
    assert (ex.metadata.issued_date, ex.metadata.province) == ("2019-06-12", "Vĩnh Phúc")
    assert ex.header.title == "Trung tâm Hành chính công tỉnh Vĩnh Phúc: gần 97% hồ sơ trả đúng hạn"
    assert ("dossiers.received", 2500) in [(i.indicator, i.value) for i in ex.indicators]


def test_a_legal_database_copy_keeps_the_national_format(tmp_path):
    ex = extract_file(write(tmp_path, "qd.htm", DECISION))
    m = ex.metadata
    assert (m.doc_number, m.issued_date, m.province, m.agency, m.signer) == (
        "25/QĐ-UBND", "2022-01-10", "Bạc Liêu", "Ủy ban nhân dân tỉnh", "Lê Văn Sử")
    assert [(c.id, c.date) for c in ex.citations] == [("63/2010/NĐ-CP", "2010-06-08")]


def test_a_layout_table_is_read_as_blocks():
    page = ("<table><tr><td><table><tr><td>menu</td><td>x</td></tr></table></td>"
            "<td><p>Bài viết thứ nhất.</p><p>Đoạn hai.</p></td></tr></table>").encode()
    assert html_text(page).splitlines() == ["| menu | x |", "Bài viết thứ nhất.", "Đoạn hai."]


def _cp1258(text: str) -> bytes:
    """Vietnamese in Windows-1258: a base letter, then its tone as a combining mark."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next(c for c in parts if c in tones)
            out += unicodedata.normalize("NFC", parts.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return out


def test_the_declared_charset_decides():
    body = "<p>Sở Nội vụ tỉnh Quảng Trị báo cáo kết quả cải cách hành chính.</p>"
    page = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">' + _cp1258(body)
    assert unicodedata.normalize("NFC", html_text(page)) == "Sở Nội vụ tỉnh Quảng Trị báo cáo kết quả cải cách hành chính."


@pytest.mark.parametrize("page", [b"<html><head><script>x()</script></head><body>  </body></html>",
                                  b"<nav><a>Trang ch\xe1\xbb\xa7</a></nav>"])
def test_a_page_without_text_is_refused(tmp_path, page):
    with pytest.raises(ReadError, match="holds no text"):
        read(write(tmp_path, "rong.html", page))
