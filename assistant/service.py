"""The assistant: question (+ earlier turns) -> retrieval -> cited answer.

Holds no conversation state: the history comes with every call. The grounded answerer needs
no LLM; `build_assistant` wires the real parts from settings (the one composition root).
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from rapidfuzz import fuzz, process

from assistant.errors import FilterError, QuestionError
from assistant.evidence import Candidate
from assistant.followup import rewrite
from assistant.generate import Generator, build_generator
from assistant.lexicon import Lexicon, build_lexicon
from assistant.query import understand
from assistant.retrieve import Retriever, theme_key
from assistant.settings import Settings
from assistant.synthesize import Thresholds, candidates, compose, quote_citation
from assistant.types import Answer, Citation, Filters, Hit, Turn
from index.blocks import footnote_markers, footnote_number
from index.catalog import Catalog, load_catalog
from index.chunk import _is_header
from index.sentences import Sentence


def clean_question(question: str, max_chars: int) -> str:
    """A question fit to answer, or QuestionError saying why not.

    Example: "  what did\\x00 skopje do?  " -> "what did skopje do?"
    """
    if question is None or not str(question).strip():
        raise QuestionError("the question is empty; type a question about the reports")
    if len(question) > max_chars:
        raise QuestionError(
            f"the question is {len(question)} characters long; the limit is {max_chars}"
        )
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question)
    text = " ".join(text.split())
    if not any(ch.isalnum() for ch in text):
        raise QuestionError("the question has no words in it; type a question about the reports")
    return text


class Assistant:
    """Answers questions about the indexed reports with numbered, verbatim citations."""

    def __init__(
        self,
        catalog: Catalog,
        retriever: Retriever,
        lexicon: Lexicon,
        settings: Settings,
        thresholds: Thresholds | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.catalog, self.retriever, self.lexicon = catalog, retriever, lexicon
        self.settings = settings
        self.thresholds = thresholds or Thresholds()
        self._unit_themes: dict[str, set[str]] = {}
        self._unit_documents: dict[str, set[str]] = {}
        for chunk in catalog.chunks:
            self._unit_themes.setdefault(chunk.unit, set()).add(theme_key(chunk.theme))
            self._unit_documents.setdefault(chunk.unit, set()).add(chunk.document)
        self.generator = generator  # answerer=llm: a checked LLM answer over the same sources

    def source(self, document: str) -> str:
        """A report's text as ingested (the catalog holds it in memory)."""
        return self.catalog.source(document)

    def answer(
        self, question: str, history: Sequence[Turn | str] = (), filters: Filters = Filters()
    ) -> Answer:
        """A cited answer (or refusal) to the last question of a conversation."""
        started = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        filters = self.resolve_filters(filters)
        earlier = [clean_question(_q(t), self.settings.max_question_chars) for t in history]
        last = history[-1] if history else None
        said = last.answer if isinstance(last, Turn) else ""
        standalone = rewrite(text, earlier, self.lexicon, said)
        query = understand(standalone, self.lexicon)
        if query.within and not filters.units:  # "which FOs in Central Asia ...": only those
            filters = Filters(filters.documents, query.within, filters.themes)
        if query.documents and not filters.documents:  # "according to ODIHR's report ..."
            filters = Filters(query.documents, filters.units, filters.themes)
            named = set(query.documents)  # ... its chapters, not another report's on ODIHR
            units = tuple(u for u in query.units if self._unit_documents.get(u, set()) & named)
            query = replace(query, units=units)
        hits, vector, timings = self.retriever.search(query, self.settings.top_k, filters)
        retrieved = time.perf_counter()
        pool = self._whole_tables(hits) if query.wants_number else list(hits)
        depth = 8
        if query.wants_number and query.themes and not query.units:
            # an organisation-wide count of a theme: every table with a row on it is read
            # ("how many ... in 2019, and how many were trainings": two tables answer)
            tables = [h for h in pool[depth:] if self.retriever.counts_theme(query, h.chunk)]
            pool = [*pool[:depth], *tables, *(h for h in pool[depth:] if h not in tables)]
            depth += len(tables)
        ranked = candidates(
            query,
            pool,
            lambda cid: self._sentences(cid, vector),
            n_hits=depth,
            proper=self.lexicon.proper,
        )
        if not query.defines:  # a glossary row spells out a name; it answers nothing else
            ranked = [c for c in ranked if c.hit.chunk.section not in self.lexicon.glossaries]
        citations: list[Citation] = []
        by_key: dict[tuple[str, int], int] = {}

        def cite(candidate: Candidate) -> int | None:
            key = (candidate.sentence.chunk_id, candidate.sentence.index)
            if key in by_key:
                return by_key[key]
            if len(citations) >= self.settings.max_citations:
                return None
            source = self.source(candidate.hit.chunk.document)
            citation = quote_citation(len(citations) + 1, candidate, source)
            if citation is None:
                return None
            citations.append(citation)
            by_key[key] = citation.n
            return citation.n

        def section_of(best: Candidate) -> list[Candidate]:
            return self._section_candidates(best, vector)

        def footnotes_of(candidate: Candidate) -> list[Candidate]:
            return self._footnotes(candidate, vector)

        def paragraph_of(candidate: Candidate) -> list[Candidate]:
            return self._paragraph(candidate, vector)

        body, abstained = compose(
            query,
            ranked,
            cite,
            self._header,
            self.thresholds,
            section_of,
            footnotes_of,
            self._themes_of,
            paragraph_of,
            room=self.settings.max_citations,
        )
        finished = time.perf_counter()
        timings.update(
            {
                "retrieve": (retrieved - started) * 1000,
                "answer": (finished - retrieved) * 1000,
                "total": (finished - started) * 1000,
            }
        )
        notes = tuple(f"read '{w}' as '{r}'" for w, r in query.corrections.items())
        grounded = Answer(
            question=text,
            standalone=standalone,
            text=body,
            citations=tuple(citations),
            hits=tuple(hits),
            abstained=abstained,
            timings_ms=timings,
            notes=notes,
        )
        if self.generator is None:
            return grounded
        return self.generator.answer(grounded, ranked, self.source, self._header)

    def stream(
        self, question: str, history: Sequence[Turn | str] = (), filters: Filters = Filters()
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it grows, then the finished Answer."""
        if self.generator is not None:
            yield from self.generator.stream(lambda: self.answer(question, history, filters))
            return
        answer = self.answer(question, history, filters)
        shown = ""
        for line in answer.text.split("\n"):
            shown = f"{shown}\n{line}" if shown else line
            yield shown
        yield answer

    def _sentences(self, chunk_id: str, vector: object) -> list[tuple[Sentence, float]]:
        return [
            (self.catalog.sentences[i], s)
            for i, s in self.retriever.best_sentences(chunk_id, vector)  # type: ignore[arg-type]
        ]

    def _section_candidates(self, best: Candidate, vector: object) -> list[Candidate]:
        """Every sentence of the best candidate's section, scored against the question."""
        out = []
        for chunk in self.catalog.chunks_of_section(
            best.hit.chunk.document, best.hit.chunk.section
        ):
            hit = Hit(chunk, best.hit.score)
            for sentence, similarity in self._sentences(chunk.id, vector):
                out.append(Candidate(sentence, hit, similarity, similarity))
        return out

    def _whole_tables(self, hits: Sequence[Hit], top: int = 3) -> list[Hit]:
        """The hits with, after each of the best few that is part of a table, the table's
        other parts: a table split for embedding is still one table, and its total row may
        sit in a part that reads like other rows ("Total Activities" among the threats)."""
        out: list[Hit] = []
        seen = {hit.chunk.id for hit in hits}
        for rank, hit in enumerate(hits):
            out.append(hit)
            if rank >= top or hit.chunk.kind != "table":
                continue
            for chunk in self.catalog.chunks_of_section(hit.chunk.document, hit.chunk.section):
                if chunk.kind == "table" and chunk.id not in seen:
                    seen.add(chunk.id)
                    out.append(Hit(chunk, hit.score))
        return out

    def _themes_of(self, unit: str) -> set[str]:
        """The themes (as keys) a unit's chapter has sections on."""
        return self._unit_themes.get(unit, set())

    def _footnotes(self, host: Candidate, vector: object) -> list[Candidate]:
        """The footnote bodies a sentence points to, from its own passage or its section."""
        markers = set(footnote_markers(" ".join(host.sentence.raw)))
        if not markers:
            return []
        own = host.hit.chunk
        # its own passage first; a long section may have put the note in a neighbouring one
        chunks = [own] + [
            c for c in self.catalog.chunks_of_section(own.document, own.section) if c.id != own.id
        ]
        found: list[Candidate] = []
        for chunk in chunks:
            hit = host.hit if chunk.id == own.id else Hit(chunk, host.hit.score)
            for sentence, similarity in self._sentences(chunk.id, vector):
                number = footnote_number(sentence.raw[0])
                if number in markers:
                    markers.discard(number)
                    found.append(Candidate(sentence, hit, host.score, similarity))
            if not markers:
                break
        return found

    def _paragraph(self, host: Candidate, vector: object) -> list[Candidate]:
        """The sentences of the host's paragraph in reading order, each scored.

        A paragraph is a run of sentences where each starts on the line the previous one ends
        on; a long paragraph may run on into the section's next passage.
        """
        chunks = self.catalog.chunks_of_section(host.hit.chunk.document, host.hit.chunk.section)
        chunks = sorted(chunks, key=lambda c: c.order)
        at = next((i for i, c in enumerate(chunks) if c.id == host.hit.chunk.id), None)
        if at is None:
            return [host]
        runs: list[list[Candidate]] = []
        for chunk in chunks[max(0, at - 1) : at + 2]:
            hit = host.hit if chunk.id == host.hit.chunk.id else Hit(chunk, host.hit.score)
            scored = sorted(self._sentences(chunk.id, vector), key=lambda p: p[0].index)
            for sentence, similarity in scored:
                if "\t" in sentence.raw[0]:
                    continue
                candidate = Candidate(sentence, hit, host.score, similarity)
                if runs and runs[-1][-1].sentence.lines[-1] == sentence.lines[0]:
                    runs[-1].append(candidate)
                else:
                    runs.append([candidate])
        for run in runs:
            if any(
                c.sentence.chunk_id == host.sentence.chunk_id
                and c.sentence.index == host.sentence.index
                for c in run
            ):
                return run
        return [host]

    def _header(self, candidate: Candidate) -> list[str] | None:
        rows = candidate.hit.chunk.text.split("\n")
        if "\t" in rows[0] and _is_header(rows):
            return [c.strip() for c in rows[0].replace("<b>", "").replace("</b>", "").split("\t")]
        return None

    def resolve_filters(self, filters: Filters) -> Filters:
        """Filters with loosely named values matched to the index's own names."""
        if not filters:
            return filters
        documents = tuple(
            self._match(d, list(self.catalog.meta["documents"]), "document")
            for d in filters.documents
        )
        units = tuple(self._match(u, self.lexicon.units, "operation/unit") for u in filters.units)
        themes = tuple(self._match(t, self.lexicon.themes, "theme") for t in filters.themes)
        return Filters(documents, units, themes)

    def _match(self, value: str, names: list[str], what: str) -> str:
        if value in names:
            return value
        lowered = {n.lower(): n for n in names}
        for name_lower, name in lowered.items():
            if value.lower() == name_lower or theme_key(value) == theme_key(name):
                return name
        found = understand(value, self.lexicon).units if what == "operation/unit" else ()
        if found:
            return found[0]
        best = process.extractOne(value, names, scorer=fuzz.WRatio, score_cutoff=86)
        if best:
            return str(best[0])
        examples = ", ".join(names[:5])
        raise FilterError(f"no {what} named {value!r} in the index (for example: {examples})")


def _q(turn: Turn | str) -> str:
    return turn.question if isinstance(turn, Turn) else str(turn)


def build_assistant(settings: Settings) -> Assistant:
    """Wire the real catalog, Chroma store and embedder from settings."""
    from index.embed import load_query_encoder
    from index.ingest import fingerprint
    from index.store import ChunkStore, connect

    data_dir = Path(settings.data_dir)
    catalog = load_catalog(data_dir)
    where = settings.chroma_url or str(data_dir / "chroma")
    store = ChunkStore(connect(data_dir, settings.chroma_url), settings.collection, where)
    store.check(fingerprint(settings.embed_model))
    if catalog.fingerprint != fingerprint(settings.embed_model):
        from index.errors import IndexMismatchError

        raise IndexMismatchError(
            f"the index in {data_dir} was built with another model or parser; "
            "run `osce-assistant ingest --rebuild`"
        )
    embedder = load_query_encoder(settings.embed_model, settings.embed_batch_size)
    lexicon = build_lexicon(catalog.chunks, list(catalog.meta["documents"]), embedder.words())
    retriever = Retriever(
        catalog, store, embedder, settings.fusion_depth, settings.rrf_k, idf=lexicon.idf
    )
    if settings.answerer == "llm":
        generator = build_generator(settings, embedder)
        return Assistant(catalog, retriever, lexicon, settings, generator=generator)
    return Assistant(catalog, retriever, lexicon, settings)
