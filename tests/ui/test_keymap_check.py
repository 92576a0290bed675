"""A [keymap] that clashes or names unknown ids is reported in one line; quit, help and the
command palette never lose their last key."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.ui.keymap_check import BindingInfo, check_keymap

BINDINGS = [
    BindingInfo("document_view.down", ("down", "j"), 0),
    BindingInfo("tag_entity", ("e", "1"), 1),
    BindingInfo("tag_claim", ("c", "2"), 1),
    BindingInfo("undo", ("u",), 1),
    BindingInfo("quit", ("q",), 2),
    BindingInfo("help", ("question_mark",), 2),
    BindingInfo("command_palette", ("ctrl+p",), 3, priority=True, essential_group="command_palette"),
    BindingInfo("command_palette_alt", ("colon",), 3, essential_group="command_palette"),
]


def test_a_clean_keymap_passes_unchanged_and_silently():
    report = check_keymap(BINDINGS, {"tag_entity": "E,1", "quit": "Q"})
    assert report.keymap == {"tag_entity": "E,1", "quit": "Q"}
    assert report.problems == () and report.line() == ""


def test_taking_quits_only_key_is_undone_and_said():
    report = check_keymap(BINDINGS, {"tag_entity": "q"})
    assert "tag_entity" not in report.keymap  # entity keeps e, 1
    assert report.line().startswith("keymap: quit keeps q (tag_entity would have left it without a key)")
    assert "\n" not in report.line()


def test_unknown_ids_and_clashes_are_named():
    report = check_keymap(BINDINGS, {"tag_entiti": "E", "undo": "c"})
    line = report.line("config.toml")
    assert "unknown binding id 'tag_entiti' ignored" in line
    assert "'c' is bound to both undo and tag_claim" in line
    assert report.keymap == {"undo": "c"}


def test_an_essential_action_moved_onto_a_deeper_key_keeps_its_default():
    report = check_keymap(BINDINGS, {"quit": "j"})  # j moves the caret first: quit would be dead
    assert "quit" not in report.keymap
    assert "quit keeps q" in report.line()


def test_the_palette_is_fine_with_either_of_its_keys():
    assert check_keymap(BINDINGS, {"tag_entity": "colon"}).keymap == {"tag_entity": "colon"}


KEYS = st.sampled_from(["q", "j", "e", "c", "u", "E", "Q", "question_mark", "ctrl+p", "colon", "x"])


@given(st.dictionaries(st.sampled_from([b.id for b in BINDINGS] + ["nope"]),
                       st.lists(KEYS, min_size=1, max_size=3).map(",".join)))
def test_whatever_the_keymap_quit_help_and_palette_keep_a_working_key(keymap):
    report = check_keymap(BINDINGS, keymap)
    by_id = {b.id: b for b in BINDINGS}

    def keys_of(binding_id):
        value = report.keymap.get(binding_id)
        return tuple(value.split(",")) if value is not None else by_id[binding_id].keys

    def winner(key):
        claims = [b for b in BINDINGS if key in keys_of(b.id)]
        return min(claims, key=lambda b: (not b.priority, b.level)).id

    for group in (["quit"], ["help"], ["command_palette", "command_palette_alt"]):
        assert any(winner(key) in group for binding_id in group for key in keys_of(binding_id)), (keymap, report)
    assert "\n" not in report.line()
