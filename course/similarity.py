"""Find course sentences that closely mirror a sentence of the seeds (close paraphrase).

Method (documented for ``tests/test_similarity.py``):

* Headings (Markdown ``#`` lines) are titles and are not checked: the modules
  deliberately follow the guide's chapter titles.
* Text is split into sentences at 。！？；, line breaks and list items. Markdown
  and HTML markup, links (their text is a document's title), citations (《实用指南》…, A/HRC/58/70…), short quotations
  in “…” or 「…」 (up to 25 characters: official titles and cited phrases), book
  titles in 《…》 and ``<q>…</q>`` quotations are removed first, so they never count.
* Only Chinese characters are compared (Latin letters, digits and punctuation
  are dropped); a sentence is checked when at least MIN_CHARS remain.
* Similarity is the share of the sentence's character 4-grams that also occur in
  one single seed sentence (containment, |A ∩ B| / |A|). A course sentence that
  re-says a seed sentence with a few words changed keeps most 4-grams of it;
  a sentence written from the facts alone keeps the figures and the terms
  (2-3 character words) but few 4-grams.

What it can see: Chinese text that follows a seed sentence's wording, including
re-ordered clauses and a word swapped here and there. What it cannot see:
English text (the seeds are Chinese; English is covered through its Chinese
counterpart, which says the same thing cell by cell, and by reviewers), a
paraphrase that keeps the seed's structure but changes nearly every word, and
copying spread thinly over many sentences. Verbatim runs are the business of
``check_no_copy.py``.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

N = 4
MIN_CHARS = 16
THRESHOLD = 0.6
ROOT = Path(__file__).resolve().parents[1]
# The seeds are read-only project inputs kept beside the repository (../shared/seeds), never in it.
SEEDS = Path(os.environ.get("SP_COURSE_SEEDS") or ROOT.parent / "shared" / "seeds")

_SPLIT = re.compile(r"[。！？；\n]|(?:^|\s)[-*]\s|\d+\.\s")
_LINK_TEXT = re.compile(r"\[[^\]]*\]\([^)]*\)")  # link texts are document titles
_MARKUP = re.compile(r"<a\b[^>]*>.*?</a>|<[^>]+>|https?://\S+|`[^`]*`", re.DOTALL)
_CITATION = re.compile(r"《实用指南》[^）)，。；]*|A/HRC/58/70[^）)，。；]*|（[^（）]{0,40}第[^（）]{0,20}[章段节][^（）]{0,30}）")
_SHORT_QUOTE = re.compile(r"“[^”]{0,25}”|「[^」]{0,25}」|《[^》]{0,40}》")
_Q = re.compile(r"<q\b[^>]*>.*?</q>", re.DOTALL)
_HEADING = re.compile(r"^\s*#{1,6}\s.*$", re.MULTILINE)  # headings are titles (modules follow the guide's chapter titles)
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")


@functools.cache
def _official_titles() -> re.Pattern[str]:
    """The mandates' official Chinese titles (data/mandates.csv), longest first: an official
    title repeats the UN's wording by design and is never counted as paraphrase."""
    import csv

    with (ROOT / "data" / "mandates.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["name_zh"].strip() for row in csv.DictReader(handle) if row.get("name_zh", "").strip()}
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def clean(text: str) -> str:
    text = _official_titles().sub(" ", text)
    text = _Q.sub("。", text)
    text = _HEADING.sub(" ", text)
    text = _LINK_TEXT.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = _CITATION.sub(" ", text)
    return _SHORT_QUOTE.sub(" ", text)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(clean(text)) if s and s.strip()]


def grams(sentence: str) -> set[str]:
    chars = _NOT_CJK.sub("", sentence)
    return {chars[i:i + N] for i in range(len(chars) - N + 1)}


@dataclass(frozen=True)
class Match:
    where: str
    sentence: str
    seed: str
    score: float


class SeedIndex:
    """Every seed sentence with its 4-grams, and an inverted index from 4-gram to sentences."""

    def __init__(self, paths: list[Path] | None = None):
        paths = paths if paths is not None else sorted(SEEDS.glob("*.txt"))
        self.seed_sentences: list[str] = []
        self.seed_grams: list[set[str]] = []
        self.index: dict[str, list[int]] = {}
        for path in paths:
            raw = path.read_text(encoding="utf-8", errors="replace").replace("\n", "")
            for sentence in re.split(r"[。！？；]", raw):
                g = grams(sentence)
                if len(g) < 4:
                    continue
                number = len(self.seed_sentences)
                self.seed_sentences.append(sentence.strip())
                self.seed_grams.append(g)
                for gram in g:
                    self.index.setdefault(gram, []).append(number)

    def best(self, sentence: str) -> tuple[float, str]:
        """Highest containment of ``sentence`` in one seed sentence, and that sentence."""
        own = grams(sentence)
        if len(_NOT_CJK.sub("", sentence)) < MIN_CHARS or not own:
            return 0.0, ""
        counts: dict[int, int] = {}
        for gram in own:
            for number in self.index.get(gram, ()):
                counts[number] = counts.get(number, 0) + 1
        if not counts:
            return 0.0, ""
        number, shared = max(counts.items(), key=lambda kv: kv[1])
        return shared / len(own), self.seed_sentences[number]

    def flag(self, items: list[tuple[str, str]], threshold: float = THRESHOLD) -> list[Match]:
        found = []
        for where, text in items:
            for sentence in sentences(text):
                score, seed = self.best(sentence)
                if score >= threshold:
                    found.append(Match(where, sentence, seed, round(score, 2)))
        return found
