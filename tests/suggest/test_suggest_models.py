"""The optional model source: with a (fake) underthesea installed its entities become suggestions
with exact offsets; without any model, load() gives None and the other sources work. Nothing is
downloaded (the fake would fail the test if the real network-touching parts were called)."""

from __future__ import annotations

import sys
import types

import pytest

from tui.suggest import models
from tui.suggest.engine import Context, suggest


@pytest.fixture
def fake_underthesea(monkeypatch):
    calls: list[str] = []
    module = types.ModuleType("underthesea")

    def ner(sentence: str):
        calls.append(sentence)
        out = []
        for word in sentence.replace(".", " .").split():
            tag = "B-PER" if word == "Vladimir" else "I-PER" if word == "Putin" else (
                "B-LOC" if word == "Minsk" else "O")
            out.append((word, "N", "O", tag))
        return out

    module.ner = ner  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "underthesea", module)
    monkeypatch.setattr(models, "_installed", lambda name: name == "underthesea")
    return calls


def test_underthesea_entities_become_suggestions_with_exact_offsets(fake_underthesea, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    assert models.available() == ["underthesea"]
    model = models.load()
    assert model is not None
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1"  # no download at run time
    text = "Tiêu đề\nÔng Vladimir Putin đến Minsk.\n"
    got = suggest(text, Context(model=model), sources=["model"], language="vi")
    assert [(s.text, s.label, s.source) for s in got] == [("Vladimir Putin", "entity", "model"),
                                                          ("Minsk", "entity", "model")]
    for s in got:
        assert text[s.start:s.end] == s.text
    assert fake_underthesea == ["Tiêu đề", "Ông Vladimir Putin đến Minsk."]  # paragraph by paragraph
    # Arabic texts are not sent to the Vietnamese model
    assert suggest("قال بوتين", Context(model=model), sources=["model"], language="ar") == []


def test_without_a_model_nothing_is_loaded_and_the_other_sources_work(monkeypatch):
    monkeypatch.setattr(models, "_installed", lambda name: False)
    assert models.available() == []
    assert models.load() is None
    got = suggest("họp hôm 5/2 tại Minsk", Context(model=None), sources=["dates", "model"], language="vi")
    assert [(s.text, s.source) for s in got] == [("hôm 5/2", "dates")]


def test_a_broken_model_is_no_model(monkeypatch):
    monkeypatch.setattr(models, "_installed", lambda name: name == "underthesea")
    monkeypatch.setitem(sys.modules, "underthesea", types.ModuleType("underthesea"))  # no ner()
    assert models.load() is None


def test_words_the_tokenizer_changed_are_skipped_not_guessed():
    assert list(models._align("Hà Nội, Việt Nam", ["Hà_Nội", ",", "Viet", "Nam"])) == [
        (0, 6), (6, 7), (-1, -1), (13, 16)]


def test_an_installed_spacy_pipeline_is_used_when_there_is_no_underthesea(monkeypatch):
    class Ent:
        def __init__(self, start: int, end: int, label: str) -> None:
            self.start_char, self.end_char, self.label_ = start, end, label

    class Doc:
        def __init__(self, text: str) -> None:
            self.ents = [Ent(text.find("بوتين"), text.find("بوتين") + 5, "PER")] if "بوتين" in text else []

    loaded: list[str] = []
    spacy = types.ModuleType("spacy")
    spacy.load = lambda name: loaded.append(name) or Doc  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "spacy", spacy)
    monkeypatch.setattr(models, "_installed", lambda name: name == "spacy")

    class EntryPoint:
        name = "xx_ent_wiki_sm"

    monkeypatch.setattr(models.importlib.metadata, "entry_points", lambda group: [EntryPoint()])
    assert models.available() == ["spacy:xx_ent_wiki_sm"]
    model = models.load()
    assert model is not None and loaded == ["xx_ent_wiki_sm"]
    text = "عنوان\nقال بوتين"
    got = suggest(text, Context(model=model), sources=["model"], language="ar")
    assert [(s.text, s.label) for s in got] == [("بوتين", "entity")]
