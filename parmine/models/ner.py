"""The statistical extractor: a small spaCy NER model for citations, dates
and quantities, trained on the rules' output (silver) over the seed reports
and generated report sentences.  It runs alongside the rules
(``parmine run --statistical``): spans the rules did not find are kept with
``extractor = "ner"``; where the two disagree the dataset uses the rules'
rows (the pred files and the audit read only those).

The model tokenizes with :class:`RegexTokenizer` (words, numbers and ids
such as "41/2019/QĐ-UBND" or "22/10/2019" stay whole; punctuation is split
off), registered as ``parmine.regex_tokenizer.v1`` so the saved model loads
anywhere parmine is installed.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc

ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "ner"
LABELS = ("CITATION", "DATE", "QUANTITY")


class RegexTokenizer:
    """ "Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019, đạt 100%." →
    Quyết | định | số | 41/2019/QĐ-UBND | ngày | 22/10/2019 | , | đạt | 100% | ."""

    PATTERN = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[/\-.&,:][\p{L}\p{M}\p{N}]+)*%?|\S")

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = [], []
        matches = list(self.PATTERN.finditer(text))
        for i, m in enumerate(matches):
            words.append(m.group(0))
            nxt = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            gap = text[m.end():nxt]
            spaces.append(gap.startswith(" "))
            rest = gap[1:] if gap.startswith(" ") else gap
            if rest:  # other whitespace becomes a token of its own
                words.append(rest)
                spaces.append(False)
        lead = text[:matches[0].start()] if matches else text
        if lead:
            words.insert(0, lead)
            spaces.insert(0, False)
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs):
        return self


@spacy.registry.tokenizers("parmine.regex_tokenizer.v1")
def create_regex_tokenizer():
    def make(nlp: Language) -> RegexTokenizer:
        return RegexTokenizer(nlp.vocab)
    return make


@lru_cache(maxsize=1)
def load_ner() -> Language:
    """The shipped model (``parmine train ner`` rebuilds it)."""
    if not ARTIFACT.exists():
        raise FileNotFoundError(f"{ARTIFACT} is missing: run `parmine train ner`")
    return spacy.load(ARTIFACT)


def predict_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of every entity the model finds in ``text``."""
    nlp = load_ner()
    out: list[tuple[int, int, str]] = []
    for start, end in _chunks(text):
        doc = nlp(text[start:end])
        out.extend((start + e.start_char, start + e.end_char, e.label_) for e in doc.ents)
    return out


class StatisticalFinder:
    """The learned extractor's spans beside the rules' (``doc.spans["statistical"]``)."""

    def __call__(self, doc):
        text = doc._.text
        doc.spans["statistical"] = [span for start, end, label in predict_spans(text)
                                    if (span := doc.char_span(start, end, label=label,
                                                              alignment_mode="expand")) is not None]
        return doc


@Language.factory("parmine_statistical", assigns=["doc.spans"])
def make_statistical(nlp: Language, name: str) -> StatisticalFinder:
    """Plugged into parmine's pipeline by :func:`parmine.pipelines.process.pipeline`."""
    return StatisticalFinder()


def _chunks(text: str, size: int = 2000):
    """Line-aligned pieces of at most about ``size`` characters."""
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + size)
        if end < len(text):
            nl = text.rfind("\n", pos, end)
            end = nl + 1 if nl > pos else end
        yield pos, end
        pos = end
