"""Typed records that the extractors return.

Every record is a frozen dataclass holding what the text says plus where it
says it: ``start``/``end`` are character offsets into the text the extractor
was given (``text[start:end]`` is the matched surface), and ``sentence`` is
the sentence the value came from.  The pipeline adds the document-level
provenance (doc_id, page, section path) when it writes rows.

The field names follow ../shared/spec (gold-format.md, indicators.md), in
English, with the Vietnamese term in the docstring.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional, Union

GoldPeriod = dict[str, Union[str, int, None]]  # gold-format.md's ``metadata.period``


@dataclass(frozen=True)
class DateMention:
    """A calendar date written in the text ("ngày 22/10/2019", "22/10/2019",
    "ngày 15 tháng 11 năm 2019", "tháng 8 năm 2024").

    ``value`` is ISO (``2019-10-22``; ``2024-08`` at month precision;
    ``2019`` at year precision) or None when the date does not exist
    (``valid`` False, e.g. "31/02/2020": kept as text, never shifted).
    ``role``: ``citation`` (the date of a cited document), ``issued`` (the
    report's own place-date line), ``period`` (a bound of a covered period) or
    ``event``.
    """

    start: int
    end: int
    text: str
    value: Optional[str]
    precision: str  # "day" | "month" | "year"
    valid: bool = True
    role: str = "event"
    sentence: str = ""


@dataclass(frozen=True)
class Period:
    """A covered period (kỳ báo cáo): "quý III năm 2020", "6 tháng đầu năm
    2017", "9 tháng đầu năm", "năm 2019", "từ 01/01/2017 - 08/6/2017",
    "giai đoạn 2016-2020", "nhiệm kỳ 2021-2026".

    ``kind`` is one of ``year``, ``half`` (index 1|2), ``quarter`` (1-4),
    ``nine_months``, ``month`` (1-12), ``range`` (``start_date``/``end_date``
    ISO), ``multi_year`` (giai đoạn/nhiệm kỳ: ``year`` is the first year,
    ``end_year`` the last).  ``year`` may be None when the text leaves it
    implicit ("6 tháng cuối năm").
    """

    start: int
    end: int
    text: str
    kind: str
    year: Optional[int] = None
    index: Optional[int] = None
    start_date: Optional[str] = None
    end_date: Optional[str] = None
    end_year: Optional[int] = None
    sentence: str = ""

    def as_gold(self) -> GoldPeriod:
        """The period in the shape of gold-format.md's ``metadata.period``."""
        out: GoldPeriod = {"year": self.year, "kind": self.kind, "index": self.index}
        if self.kind == "range":
            out.update(start=self.start_date, end=self.end_date)
        return out


@dataclass(frozen=True)
class Citation:
    """A mention of another official document by its number (trích dẫn văn
    bản): "Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019 của UBND tỉnh ...".

    - ``id``: number/year/symbol as written, whitespace removed
      (``41/2019/QĐ-UBND``, ``18-NQ/TW``, ``555/SKHCN-VP``).
    - ``doc_type``: the type word the text uses, capitalised (``Quyết định``),
      None when the text gives only a number.
    - ``number``: the serial part (``41``, ``30c``); ``year`` from the number,
      else from the date; ``symbol``: everything after the number and year
      (``QĐ-UBND``); ``issuer_symbol``: the issuing body's part of it
      (``UBND``, ``TTg``, ``SKHCN``, ``TW``).
    - ``date``: ISO date written with this mention, or None.
    - ``issuer``: the issuer as written ("UBND tỉnh Quảng Trị", "Chính phủ").
    - ``subject``: what follows ("về việc ...", "ban hành ...").
    - ``parenthetical``: the mention stands in brackets as a reference
      "(Kế hoạch số 03/KH-SKHCN ngày 13/01/2020)".
    - ``resolved_id``: the full id the mention stands for — its own id for
      a full number, the full citation of a short form ("Nghị quyết 36a" →
      ``36a/NQ-CP``), None for a bare number the text never gives in full.
    """

    start: int
    end: int
    text: str
    id: str
    doc_type: Optional[str]
    number: str
    year: Optional[int]
    symbol: str
    issuer_symbol: Optional[str]
    date: Optional[str] = None
    date_text: Optional[str] = None
    issuer: Optional[str] = None
    subject: Optional[str] = None
    parenthetical: bool = False
    sentence: str = ""
    resolved_id: Optional[str] = None


@dataclass(frozen=True)
class Quantity:
    """A number stated in the text with its immediate context.

    ``value`` is a number (int for counts, float for decimals/percent);
    ``kind``: ``count``, ``percent``, ``ratio`` (``value`` = x and
    ``denominator`` = y of "x/y"), ``decimal``, ``absence`` ("không có hồ sơ
    trễ hạn" = 0), ``money`` ("150.000 đồng", never an indicator); ``noun``
    the counted noun ("hồ sơ", "thủ tục"); ``approximate``: the text gives
    a bound, not the figure ("hơn 2.500", "gần 97%").
    """

    start: int
    end: int
    text: str
    value: float
    kind: str = "count"
    denominator: Optional[float] = None
    noun: Optional[str] = None
    sentence: str = ""
    approximate: bool = False


@dataclass(frozen=True)
class Indicator:
    """One stated fact about the reform, in the vocabulary of indicators.md.

    ``indicator`` e.g. ``dossiers.received``; ``value`` a number; ``field``
    the domain of a breakdown (lĩnh vực) or None for a total; ``procedure``
    the procedure name of a per-procedure table row.  ``start``/``end`` and
    ``sentence`` locate the statement in the text; for table cells they are
    -1 and ``table``/``row``/``col`` locate the cell instead.  ``group`` ties
    together the rows stated in one sentence, list or table (the audit's
    arithmetic checks compare parts with totals inside a group); ``role``
    says whether the row is a ``total``, a ``part`` of a total, or ``single``;
    ``approximate``: the figure is a bound ("hơn 2.500 hồ sơ").
    """

    indicator: str
    value: float
    field: Optional[str] = None
    procedure: Optional[str] = None
    start: int = -1
    end: int = -1
    text: str = ""
    sentence: str = ""
    table: Optional[int] = None
    row: Optional[int] = None
    col: Optional[int] = None
    group: Optional[str] = None
    role: str = "single"
    source: str = "rule"
    approximate: bool = False


@dataclass(frozen=True)
class Section:
    """A node of the report's section tree (mục).

    ``number`` as written without its dot ("II", "1", "1.1", "a");
    ``level``: 1 roman, 2 arabic, 3 arabic x.y, 4 x.y.z, 5 letter; ``path``
    the dotted path from the root ("II.2.b"); ``title`` the heading without
    number and trailing ":"/"."; ``start``/``end`` the whole node (heading
    included) in the text; ``kind``: ``body`` for the numbered sections;
    ``header``, ``recipients`` (Kính gửi), ``closing`` (Nơi nhận),
    ``signature``, ``appendix`` for the blocks around them.
    """

    number: str
    title: str
    level: int
    path: str
    start: int
    end: int
    kind: str = "body"
    heading_end: int = -1


@dataclass(frozen=True)
class Header:
    """What the top of a document says, as written (national document
    format; see :mod:`parmine.extract.header`).

    ``start``/``end``: the header block (the body starts at ``end``);
    ``layout``: ``lines`` (plain or interleaved columns), ``table`` (a
    crawled copy's Markdown/HTML table), ``site`` (a legal database's
    metadata block only), ``portal`` (a news or statistics page: headline
    and posting date) or ``none``; ``bodies``: the issuing body's names,
    parent first ("UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ");
    ``authority``: the issuing authority's line before "Căn cứ";
    ``doc_number``: "12/BC-SKHCN" (None when left blank); ``symbol``: the
    number symbol even when the number is blank ("0/BC-SKHCN"); ``place``
    and ``issued_date`` (ISO, "YYYY-MM" for a blank day) written at
    ``date_start``/``date_end`` (the place-date line or the posting date);
    ``kind``: the
    kind word ("quyết định") or the kind the symbol states; ``title``: the
    subject (trích yếu) or a portal page's headline, at
    ``title_start``/``title_end``; ``signer``: the "Người ký" of a site's
    metadata.
    """

    start: int = 0
    end: int = 0
    layout: str = "none"
    bodies: tuple[str, ...] = ()
    authority: Optional[str] = None
    doc_number: Optional[str] = None
    symbol: Optional[str] = None
    place: Optional[str] = None
    issued_date: Optional[str] = None
    date_start: int = -1
    date_end: int = -1
    kind: Optional[str] = None
    title: Optional[str] = None
    title_start: int = -1
    title_end: int = -1
    signer: Optional[str] = None
    headline: bool = False


@dataclass(frozen=True)
class Signature:
    """The signature block (chữ ký): ``authority`` the form of authority
    ("TM.", "KT.", "TL.", "TUQ.", "Q."), ``title`` the signer's title
    ("PHÓ CHỦ TỊCH"), ``name`` the signer ("Hứa Ngọc Thuận") or None;
    ``start``/``end`` the block."""

    start: int
    end: int
    authority: Optional[str] = None
    title: Optional[str] = None
    name: Optional[str] = None


@dataclass(frozen=True)
class Metadata:
    """What the header, title and signature block say about the document
    (gold-format.md ``metadata``), plus the recipients (Kính gửi), the
    post-2025 unit of the province, the document's kind (``doc_kind``:
    "báo cáo", "quyết định", …, ``news`` or ``statistics`` for portal pages),
    the issuing body as written and its parent, the place of issue and the
    signer's title."""

    province: Optional[str] = None
    unit_2025: Optional[str] = None
    agency: Optional[str] = None
    report_type: str = "other"
    period: Optional[Period] = None
    issued_date: Optional[str] = None
    doc_number: Optional[str] = None
    signer: Optional[str] = None
    recipients: tuple[str, ...] = ()
    title: Optional[str] = None
    doc_kind: Optional[str] = None
    issuer: Optional[str] = None
    parent_body: Optional[str] = None
    place: Optional[str] = None
    signer_title: Optional[str] = None

    def as_gold(self) -> dict[str, str | GoldPeriod | None]:
        """The metadata in the shape of gold-format.md."""
        return {
            "province": self.province,
            "agency": self.agency,
            "report_type": self.report_type,
            "period": self.period.as_gold() if self.period else None,
            "issued_date": self.issued_date,
            "doc_number": self.doc_number,
            "signer": self.signer,
        }


Record = Union[DateMention, Period, Citation, Quantity, Indicator, Section, Header, Signature, Metadata]


def to_dict(record: Record) -> dict[str, object]:
    """A record as a plain dict (for rows and JSON)."""
    return asdict(record)


__all__ = ["DateMention", "Period", "Citation", "Quantity", "Indicator",
           "Section", "Header", "Signature", "Metadata", "to_dict"]
