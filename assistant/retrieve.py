"""Hybrid retrieval: dense vectors from Chroma plus BM25, fused, reranked with structure.

Ranking, in order: reciprocal-rank fusion of deep dense and keyword lists; a rerank that
adds the best sentence's similarity (stored sentence vectors) and boosts for the units and
thematic headings the question names; then diversity, so one long section cannot crowd
out other operations. Questions across operations gather evidence per operation.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from assistant.figures import count_near, without_dates
from assistant.lexicon import MONTHS, content_tokens, is_operation_chapter, plain
from assistant.query import Query
from assistant.types import Filters, Hit
from index.catalog import Catalog, stem
from index.types import FIGURE_KINDS, Chunk

_SKIP_KINDS = {"toc"}


def theme_key(theme: str) -> str:
    """Theme names compared loosely: case, spacing and punctuation ignored.

    Example: "Gender-Based Violence" -> "genderbasedviolence"; "&" reads as "and";
    "Specialized Investigation Units" and "... Investigations Units" are one theme
    """
    words = re.findall(r"[a-z0-9]+", re.sub(r"\s*&\s*", " and ", theme.lower()))
    return "".join(stem(w) for w in words)


class DenseIndex(Protocol):
    """What retrieval needs of the vector store."""

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]: ...


class QueryEncoder(Protocol):
    """What retrieval needs of the embedder."""

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Weights:
    """Rerank weights (set on the development split of the eval set)."""

    rrf: float = 30.0
    sentence: float = 1.0
    chunk: float = 0.4
    unit: float = 0.35
    theme: float = 0.45
    title: float = 0.3
    figure_for_numbers: float = 0.1
    figure_otherwise: float = 0.3
    table_for_totals: float = 0.35
    glossary: float = 0.6  # "what does X stand for": the table that lists X
    rare_name: float = 0.3  # a chunk naming a rare name the question names
    quoted: float = 1.0  # a chunk holding a name the question quotes, word for word
    counted: float = 0.2  # a passage counting the thing a "how many" question asks about
    per_unit_hits: int = 3  # best hits kept for each operation a comparison names
    fine_kept: int = 3  # chunks of the best sentences, exempt from the per-section cap
    across_passages: int = 6  # more passages naming what an across question follows


def fuse(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """Reciprocal-rank fusion of ranked id lists.

    Example: fuse([["a", "b"], ["b"]], k=60) -> {"a": 1/61, "b": 1/62 + 1/61}
    """
    scores: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, key in enumerate(ranking):
            scores[key] += 1.0 / (k + rank + 1)
    return dict(scores)


class Retriever:
    """Finds the passages behind an answer, from one catalog and one dense index."""

    def __init__(
        self,
        catalog: Catalog,
        dense: DenseIndex,
        encoder: QueryEncoder,
        depth: int = 60,
        rrf_k: int = 60,
        weights: Weights | None = None,
        idf: dict[str, float] | None = None,
    ) -> None:
        self.catalog, self.dense, self.encoder = catalog, dense, encoder
        self.depth, self.rrf_k = depth, rrf_k
        self.weights = weights or Weights()
        self.idf: dict[str, float] = idf or {}
        self._sentences_of: dict[str, list[int]] = defaultdict(list)
        for i, sentence in enumerate(catalog.sentences):
            self._sentences_of[sentence.chunk_id].append(i)

    def search(
        self, query: Query, top_k: int = 10, filters: Filters = Filters()
    ) -> tuple[list[Hit], np.ndarray, dict[str, float]]:
        """Ranked hits, the query vector, and timings in ms."""
        started = time.perf_counter()
        vector = self.encoder.embed_query(query.expanded)
        if query.subject:  # a comparison: its subject weighs as much as the names compared
            both = vector + self.encoder.embed_query(query.subject)
            vector = both / float(np.linalg.norm(both))
        embedded = time.perf_counter()
        allowed = self._allowed(filters)
        dense = self._dense(vector, filters, allowed)
        keyword = self._keyword(query.expanded, allowed)
        fine = self._sentence_ranking(vector, allowed)
        fused = fuse([[i for i, _ in dense], [i for i, _ in keyword], fine], self.rrf_k)
        candidates = self._gather(query, fused, allowed)
        dense_scores, keyword_scores = dict(dense), dict(keyword)
        hits = [
            Hit(
                self.chunk(cid),
                self._score(query, cid, fused.get(cid, 0.0), vector),
                dense_scores.get(cid, 0.0),
                keyword_scores.get(cid, 0.0),
            )
            for cid in candidates
        ]
        hits.sort(key=lambda h: -h.score)
        # the chunks holding the very best sentences stay near the top, however crowded their
        # section: a long single-section story hides its one-line answer in its fourth chunk
        keep = set(fine[: self.weights.fine_kept])
        ranked = _diversify(hits, lambda chunk: section_room(query, chunk), keep=keep)
        top = ranked[: max(top_k, 10)]
        partners = self._partners(query)
        if len(query.units) > 1:  # a comparison needs each operation's own evidence
            top = _balanced(ranked, query.units, len(top), self.weights.per_unit_hits)
        elif (query.spread and query.themes) or partners:
            # "which FOs ... on public order", "... worked with ICITAP": each one's best
            keys = {theme_key(t) for t in query.themes}
            # "what did ODIHR do in Uzbekistan?" follows the country, whatever theme the name
            # "ODIHR" spelt out seems to name; "... in Uzbekistan on anti-trafficking?" says one
            said = {w for t in query.themes for w in content_tokens(t)} & query.telling
            following = not keys or (query.across and bool(partners) and not said)
            if following:
                on = [h for h in ranked if partners & self._tokens(h.chunk.id)]
            else:
                on = [h for h in ranked if theme_key(h.chunk.theme) in keys]
            firsts = {h.chunk.unit: h for h in reversed(on)}  # each unit's best
            top += [h for h in firsts.values() if h not in top]  # after the ranked ones
            if following and query.across:
                # a country followed through a story told over several passages: each of them
                top += [h for h in on if h not in top][: self.weights.across_passages]
        if query.several_themes:  # "what did X do on A and on B?": X's best passage on each
            keys = {theme_key(t) for t in query.themes_named}
            named = [h for h in ranked if h.chunk.unit in query.units]
            best = {theme_key(h.chunk.theme): h for h in reversed(named)}
            top += [h for k, h in best.items() if k in keys and h not in top]
        finished = time.perf_counter()
        timings = {
            "embed": (embedded - started) * 1000,
            "retrieve": (finished - embedded) * 1000,
        }
        return top, vector, timings

    def chunk(self, chunk_id: str) -> Chunk:
        """A chunk of the catalog by id."""
        return self.catalog.chunks[self.catalog.by_id[chunk_id]]

    def _allowed(self, filters: Filters) -> set[str] | None:
        if not filters:
            return None
        themes = {theme_key(t) for t in filters.themes}
        return {
            c.id
            for c in self.catalog.chunks
            if (not filters.documents or c.document in filters.documents)
            and (not filters.units or c.unit in filters.units)
            and (not themes or theme_key(c.theme) in themes)
        }

    def _dense(
        self, vector: np.ndarray, filters: Filters, allowed: set[str] | None
    ) -> list[tuple[str, float]]:
        where = _where(filters)
        found = self.dense.query(vector, self.depth * 2, where)
        known = self.catalog.by_id
        # the catalog is the source of truth: vectors of a half-finished ingest are ignored;
        # its vectors also re-score the approximate neighbours exactly, so an embedded store
        # and a server (whose index graphs differ) rank alike
        exact = [
            (cid, float(self.catalog.chunk_vectors[known[cid]] @ vector))
            for cid, _ in found
            if cid in known
            and (allowed is None or cid in allowed)
            and self.chunk(cid).kind not in _SKIP_KINDS
        ]
        return sorted(exact, key=lambda pair: -pair[1])[: self.depth]

    def _keyword(self, text: str, allowed: set[str] | None) -> list[tuple[str, float]]:
        out = []
        for index, score in self.catalog.keyword_search(text, self.depth * 3):
            chunk = self.catalog.chunks[index]
            if (allowed is None or chunk.id in allowed) and chunk.kind not in _SKIP_KINDS:
                out.append((chunk.id, score))
        return out[: self.depth]

    def _sentence_ranking(self, vector: np.ndarray, allowed: set[str] | None) -> list[str]:
        """Chunks ranked by their best sentence: finds one-line evidence a long chunk hides."""
        sims = self.catalog.sentence_vectors @ vector if len(self.catalog.sentences) else []
        order = np.argsort(-np.asarray(sims))[: self.depth * 4]
        ranked: list[str] = []
        for i in order:
            cid = self.catalog.sentences[int(i)].chunk_id
            if cid in self.catalog.by_id and (allowed is None or cid in allowed):
                ranked.append(cid)
        return list(dict.fromkeys(ranked))[: self.depth]

    def _gather(self, query: Query, fused: dict[str, float], allowed: set[str] | None) -> list[str]:
        """Fused candidates, plus the chunks of the named units' named themes."""
        ranked = sorted(fused, key=lambda c: -fused[c])[: self.depth]
        extra: list[str] = []
        themes = {theme_key(t) for t in query.themes}
        if query.several_themes:  # "what did X do on A and on B?"
            themes |= {theme_key(t) for t in query.themes_named}
        if query.units or (query.spread and themes):
            several = len(query.units) > 1  # a comparison needs each operation's own evidence
            for chunk in self.catalog.chunks:
                in_unit = not query.units or chunk.unit in query.units
                in_theme = not themes or several or theme_key(chunk.theme) in themes
                if in_unit and in_theme and chunk.kind not in _SKIP_KINDS:
                    if allowed is None or chunk.id in allowed:
                        extra.append(chunk.id)
        partners = self._partners(query)
        if partners:  # "which FOs worked with DCAF?"
            extra += [
                c.id
                for c in self.catalog.chunks
                if c.kind == "text"
                and partners & self._tokens(c.id)
                and (allowed is None or c.id in allowed)
            ]
        if query.wants_number and not query.units and query.themes:
            # "how many X activities in 2018?": the organisation-wide tables with a row on X
            extra += [
                c.id
                for c in self.catalog.chunks
                if self.counts_theme(query, c) and (allowed is None or c.id in allowed)
            ]
        return list(dict.fromkeys(ranked + extra[:200]))

    def counts_theme(self, query: Query, chunk: Chunk) -> bool:
        """A table with a row on an asked theme, for a figure asked of no one operation."""
        if chunk.kind != "table" or not query.wants_number or query.units:
            return False
        text = chunk.clean.lower()
        return any(theme.lower() in text for theme in query.themes)

    def _title_match(self, query: Query, chunk: Chunk) -> float:
        """Share (by rarity) of the section title's words that the question uses."""
        title = title_tokens(chunk.section)
        if not title:
            return 0.0
        idf = self.idf
        have = sum(idf.get(t, 1.0) for t in title & query.tokens)
        share = have / sum(idf.get(t, 1.0) for t in title)
        if not query.own_tokens:
            return share
        # a follow-up's own words name its subject; its carried-over context counts half
        own = sum(idf.get(t, 1.0) for t in title & query.own_tokens)
        return (own + have) / 2 / sum(idf.get(t, 1.0) for t in title)

    def _chapter_match(self, query: Query, chunk: Chunk) -> float:
        """Share (by rarity) of a reference chapter's title that the question's telling words
        use: "who should I contact ..." names "Appendix 5 Contact Details"."""
        title = title_tokens(chunk.unit)
        have = sum(self.idf.get(t, 1.0) for t in title & query.telling)
        return have / sum(self.idf.get(t, 1.0) for t in title) if have else 0.0

    def best_sentences(self, chunk_id: str, vector: np.ndarray) -> list[tuple[int, float]]:
        """(sentence index, similarity) of a chunk's sentences, best first."""
        rows = self._sentences_of.get(chunk_id, [])
        if not rows:
            return []
        sims = self.catalog.sentence_vectors[rows] @ vector
        order = np.argsort(-sims)
        return [(rows[i], float(sims[i])) for i in order]

    def _score(self, query: Query, cid: str, fused: float, vector: np.ndarray) -> float:
        w = self.weights
        chunk = self.chunk(cid)
        best = self.best_sentences(cid, vector)
        sentence_sim = best[0][1] if best else 0.0
        chunk_sim = float(self.catalog.chunk_vectors[self.catalog.by_id[cid]] @ vector)
        score = w.rrf * fused + w.sentence * sentence_sim + w.chunk * chunk_sim
        if query.units and chunk.unit in query.units:
            score += w.unit
        if query.themes and _on_theme(chunk, query.themes):
            score += w.theme
        elif query.themes and self.counts_theme(query, chunk):
            score += w.theme  # an organisation-wide table with a row on the asked theme
        score += w.title * self._title_match(query, chunk)
        if self._names_rare(query, cid):
            score += w.rare_name  # "the Grodno Forum", "Love Sonia": the passages naming it
        if self._holds_quoted(query, chunk):
            score += w.quoted  # the very name the question quotes: "To success, together!"
        if not is_operation_chapter(chunk.unit):
            score += w.title * self._chapter_match(query, chunk)
        if chunk.kind in FIGURE_KINDS or chunk.kind == "table":
            # infographics and tables answer "how many"; for "what did X do" they are noise.
            # Asked without an operation, a count is an organisation-wide table's business.
            if query.wants_number:
                score += w.figure_for_numbers
                if chunk.kind == "table" and not query.units:
                    score += w.table_for_totals
                    if query.focus and query.focus[-1] in path_tokens(chunk.section):
                        score += w.theme  # a table counting what is asked: "... Activities"
            elif not (chunk.kind == "table" and self._holds_rare(query, cid)):
                score -= w.figure_otherwise  # a table naming the asked term is kept (glossaries)
            elif query.defines:
                score += w.glossary
        elif query.wants_number and query.focus and self._counts(query.focus[-1], cid):
            score += w.counted  # "... supported three participating States"
        return score

    def _names_rare(self, query: Query, cid: str) -> bool:
        """The chunk names a rare name of the question (one the reports always capitalise)."""
        rare = set(query.names) & query.rare
        return bool(rare) and bool(rare & self._tokens(cid))

    def _partners(self, query: Query) -> set[str]:
        """The rare names an across-operations question asks about ("which FOs worked with
        DCAF?"), when no theme says what it is about, or that a question follows through the
        sections ("what did ODIHR do in Uzbekistan?")."""
        if query.across and not query.units and not query.spread:  # "... in Uzbekistan?"
            return set(query.names).difference(MONTHS)
        if not query.spread or query.themes:
            return set()
        return {*query.names, *query.acronyms} & query.rare

    def _holds_quoted(self, query: Query, chunk: Chunk) -> bool:
        """The chunk holds a name the question quotes ("To success, together!")."""
        return bool(query.quoted) and any(q in plain(chunk.clean) for q in query.quoted)

    def _counts(self, head: str, cid: str) -> bool:
        """The chunk counts `head` (read only in chunks that say it at all)."""
        return head in self._tokens(cid) and _counts_noun(self.chunk(cid).clean, head)

    def _tokens(self, cid: str) -> frozenset[str]:
        return _chunk_tokens(self.chunk(cid).clean)

    def _holds_rare(self, query: Query, cid: str) -> bool:
        """A rare word of the question (a name) or the abbreviation asked about is in the chunk."""
        terms = query.rare | set(content_tokens(query.defines[0] if query.defines else ""))
        return bool(terms and terms & self._tokens(cid))


@lru_cache(maxsize=1 << 14)
def _counts_noun(text: str, head: str) -> bool:
    """The passage counts `head`: "trained 65 police investigators" counts investigators."""
    return count_near(without_dates(text), head)


@lru_cache(maxsize=1 << 12)  # chunks of the indexed reports
def _chunk_tokens(text: str) -> frozenset[str]:
    return frozenset(content_tokens(text))


@lru_cache(maxsize=1 << 16)  # sections of the indexed reports
def title_tokens(section: str) -> frozenset[str]:
    """The words of a section's own title. Example: "4.3 ... > Cybercrime" -> {"cybercrime"}"""
    return frozenset(content_tokens(section.split(" > ")[-1]))


@lru_cache(maxsize=1 << 16)  # sections of the indexed reports
def path_tokens(section: str) -> frozenset[str]:
    """The words of a section's whole path ("1 Executive Summary > 2019 Total Number of
    Police-Related Activities") -> {"executive", "summary", ..., "activity"}."""
    return frozenset(content_tokens(section))


def _on_theme(chunk: Chunk, themes: tuple[str, ...]) -> bool:
    """The chunk is filed under an asked theme, or, filed under none (a report told as stories,
    not thematic headings), its section's title names the theme by two of its words or more:
    "2.5 Building a civil society coalition against hate crime" is on "Hate Crime"."""
    keys = {theme_key(t) for t in themes}
    if theme_key(chunk.theme) in keys:
        return True
    if chunk.theme:
        return False
    title = title_tokens(chunk.section)
    return any(len(title & set(content_tokens(t))) >= 2 for t in themes)


def _where(filters: Filters) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if filters.documents:
        clauses.append({"document": {"$in": list(filters.documents)}})
    if filters.units:
        clauses.append({"unit": {"$in": list(filters.units)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _balanced(hits: list[Hit], units: tuple[str, ...], top: int, each: int) -> list[Hit]:
    """The top hits plus the best `each` of every named unit, best first.

    Example: "compare Albania and Moldova on THB" keeps Albania's best passages in the list
    even when Moldova's THB section fills the top ten.
    """
    head = hits[:top]
    for unit in units:
        head += [h for h in hits if h.chunk.unit == unit][:each]
    kept = list({id(h): h for h in head}.values())
    kept.sort(key=lambda h: -h.score)
    return kept


def section_room(query: Query, chunk: Chunk) -> int:
    """How many passages of the chunk's section may stand near the top: few when operations
    are compared or listed, more for the asked operation's section on the asked theme (it is
    the answer, and the asked activity may be its fifth passage)."""
    if query.spread:
        return 2
    # (the unit first: most hits are another unit's, and need no theme compared)
    if len(query.units) == 1 and chunk.unit in query.units:
        own = theme_key(chunk.theme)
        if any(theme_key(t) == own for t in query.themes):
            return 5
    return 3


def _diversify(
    hits: list[Hit],
    per_section: Callable[[Chunk], int],
    keep: frozenset[str] | set[str] = frozenset(),
) -> list[Hit]:
    """Keep at most `per_section(chunk)` hits of a chunk's section near the top (and those in
    `keep`); the rest follow."""
    seen: dict[str, int] = defaultdict(int)
    head: list[Hit] = []
    tail: list[Hit] = []
    for hit in hits:
        seen[hit.chunk.section] += 1
        near = seen[hit.chunk.section] <= per_section(hit.chunk) or hit.chunk.id in keep
        (head if near else tail).append(hit)
    return head + tail
