"""What the lexicon learns from hand-made passages: names and missions without a chapter."""

from __future__ import annotations

from assistant.lexicon import Lexicon, _other_bodies, _proper_words
from index.types import Chunk


def _chunk(text: str, unit: str = "4.5 Mission to Serbia") -> Chunk:
    return Chunk(
        id=str(hash(text)),
        document="report",
        section=f"{unit} > Other",
        unit=unit,
        theme="Other",
        category="",
        kind="text",
        text=text,
        clean=text,
        lines=(1,),
        order=0,
    )


def test_words_always_capitalised_mid_sentence_are_names() -> None:
    chunks = [
        _chunk("The Mission trained Belarusian and Serbian police. Police then met in Madrid."),
        _chunk("Training took place in Madrid with the police of Serbia."),
    ]
    proper = _proper_words(chunks)
    assert {"belarusian", "serbian", "madrid", "mission", "serbia"} <= proper
    assert "police" not in proper, "written in lower case mid-sentence once"
    assert "training" not in proper, "only ever capitalised at a sentence start"


def test_named_missions_without_a_chapter_are_learnt_but_operations_are_not() -> None:
    lex = Lexicon(units=["4.5 Mission to Serbia"], places={"4.5 Mission to Serbia": "Serbia"})
    chunks = [
        _chunk(
            "The Mission met the OSCE Special Monitoring Mission to Ukraine. "
            "Alongside Mission staff, the Serbia Mission and the European Union Advisory "
            "Mission took part."
        )
    ]
    bodies = _other_bodies(lex, chunks)
    assert "special monitoring mission" in bodies
    assert "european union advisory mission" in bodies
    assert not any("serbia" in b or "alongside" in b for b in bodies)


def test_content_words_leave_out_inflected_stop_words_and_possessive_fragments() -> None:
    from assistant.lexicon import content_tokens

    assert content_tokens("How many members does ODIHR's association have?") == [
        "member",
        "odihr",
        "association",
    ]
