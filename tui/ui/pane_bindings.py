"""The pane's key bindings: the fixed ones (`PANE_BINDINGS`, ArticlePane.BINDINGS) and one per label
of the store (`label_bindings`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from tui.safe_text import label_key_problem, safe_text

if TYPE_CHECKING:
    from tui.store.models import Label


def label_bindings(labels: list[Label]) -> list[Binding]:
    """One binding per label of the store: its letter key and its position (1, 2, 3...).

    Names and keys come from the labels table (anyone may edit it): a key that is not one visible
    character is not bound (the position key still is), names are shown through tui.safe_text and
    passed to the action as a Python literal, never spliced into it."""
    bindings = []
    for index, label in enumerate(labels, start=1):
        keys = [str(index)] if index <= 9 else []
        letter = getattr(label, "key", None) or label.name[:1]
        if letter and label_key_problem(letter) is None and letter not in keys:
            keys.insert(0, letter)
        if not keys:
            continue
        shown = safe_text(label.name, 24)
        bindings.append(
            Binding(
                ",".join(keys),
                f"tag({label.name!r})",
                shown,
                show=index <= 3,
                id=f"tag_{label.name}",
                tooltip=f"Tag the selection (or the word under the caret) as {shown}",
            )
        )
    return bindings


PANE_BINDINGS: list[BindingType] = [
    Binding("x,delete", "delete_span", "delete", id="delete_span",
            tooltip="Delete the innermost span under the caret"),
    Binding("r", "relabel", "relabel", show=True, id="relabel",
            tooltip="Change the label of the span under the caret to the next label"),
    Binding("left_square_bracket", "resize('start', -1)", "grow start", show=False,
            key_display="[", id="grow_start", tooltip="Move the span's start one character earlier"),
    Binding("right_square_bracket", "resize('start', 1)", "shrink start", show=False,
            key_display="]", id="shrink_start", tooltip="Move the span's start one character later"),
    Binding("left_curly_bracket", "resize('end', -1)", "shrink end", show=False,
            key_display="{", id="shrink_end", tooltip="Move the span's end one character earlier"),
    Binding("right_curly_bracket", "resize('end', 1)", "grow end", show=False,
            key_display="}", id="grow_end", tooltip="Move the span's end one character later"),
    Binding("left_parenthesis,alt+left_square_bracket", "resize('start', -1, True)", "start a word earlier",
            show=False, key_display="(", id="grow_start_word",
            tooltip="Move the span's start one word earlier"),
    # alt+[ and alt+] never arrive as such (tmux and xterm deliver a plain [ or ], ESC [ being CSI),
    # so every word resize has a plain key: ( ) grow by a word, - _ shrink by a word.
    Binding("minus,alt+right_square_bracket", "resize('start', 1, True)", "start a word later", show=False,
            key_display="-", id="shrink_start_word", tooltip="Move the span's start one word later"),
    Binding("underscore,alt+left_curly_bracket", "resize('end', -1, True)", "end a word earlier", show=False,
            key_display="_", id="shrink_end_word", tooltip="Move the span's end one word earlier"),
    Binding("right_parenthesis,alt+right_curly_bracket", "resize('end', 1, True)", "end a word later",
            show=False, key_display=")", id="grow_end_word", tooltip="Move the span's end one word later"),
    Binding("full_stop", "cycle_span", "next span here", show=False, key_display=".", id="cycle_span",
            tooltip="Several spans under the caret: make the next one current (what x, r, [ ] { } act on)"),
    Binding("number_sign", "span_list", "spans", show=True, key_display="#", id="span_list",
            tooltip="List this article's spans in text order (type to filter by label, enter jumps)"),
    Binding("i", "legend", "labels", show=False, id="label_legend",
            tooltip="The labels: keys, colours as in the text, and their guidelines"),
    Binding("exclamation_mark", "exact_once", "exact tag", show=False, key_display="!", id="exact_once",
            tooltip="The next tag takes the selection exactly as it is (no snapping to whole words)"),
    Binding("n", "next_match(1)", "next match", show=True, id="next_match",
            tooltip="Jump to the next search match"),
    Binding("N", "next_match(-1)", "previous match", show=True, id="previous_match",
            tooltip="Jump to the previous search match"),
    Binding("n", "next_span(1)", "next span", show=True, id="next_span",
            tooltip="Jump to the next span"),
    Binding("N", "next_span(-1)", "previous span", show=False, id="previous_span",
            tooltip="Jump to the previous span"),
    Binding("u,ctrl+z", "undo", "undo", id="undo", tooltip="Undo your last change (kept across restarts)"),
    Binding("U,ctrl+y", "redo", "redo", show=False, id="redo", tooltip="Redo what you undid"),
    Binding("slash", "search", "search", show=True, key_display="/", id="search",
            tooltip="Search in this article (in visual mode: extend the selection to the match)"),
    Binding("escape", "clear_search", "clear search", show=False, id="clear_search",
            tooltip="Remove the search highlights (n/N then jump between spans again)"),
    Binding("m", "status('done')", "done", show=True, id="mark_done",
            tooltip="Mark the document done (again: back to in progress)"),
    Binding("s", "status('skipped')", "mark skipped", show=False, id="mark_skipped",
            tooltip="Mark the document skipped (again: back to in progress)"),
    Binding("greater_than_sign", "neighbour(1)", "next article", show=False, key_display=">",
            id="next_document", tooltip="Open the next article in this pane"),
    Binding("less_than_sign", "neighbour(-1)", "previous article", show=False, key_display="<",
            id="previous_document", tooltip="Open the previous article in this pane"),
    Binding("o", "pick", "open", show=True, id="pick_document", tooltip="Choose the article for this pane"),
    Binding("D", "paragraph_direction", "paragraph direction", show=False, id="paragraph_direction",
            tooltip="Show the paragraph under the caret auto → right to left → left to right "
                    "(display only, remembered for this article)"),
    Binding("ctrl+d", "document_direction", "article direction", show=False, id="document_direction",
            tooltip="Show the whole article auto → right to left → left to right "
                    "(paragraphs with their own setting keep it; display only, remembered)"),
    Binding("a", "accept_candidate", "accept", show=False, id="accept_candidate",
            tooltip="Accept the candidate under the caret: it becomes your span"),
    Binding("X", "reject_candidate", "reject", show=False, id="reject_candidate",
            tooltip="Reject the candidate under the caret (never offered to you again)"),
    Binding("A", "accept_all_candidates", "accept all", show=False, id="accept_all_candidates",
            tooltip="Accept every candidate in this article (one undo takes them all back)"),
    Binding("semicolon", "next_candidate(1)", "next candidate", show=False, key_display=";",
            id="next_candidate", tooltip="Jump to the next candidate"),
    Binding("comma", "next_candidate(-1)", "previous candidate", show=False, key_display=",",
            id="previous_candidate", tooltip="Jump to the previous candidate"),
    Binding("L", "link", "link", show=False, id="link",
            tooltip="Link spans: press on a span, go to the other span (Tab to another pane), press again"),
    Binding("enter", "link_here", "link here", show=False, id="link_here",
            tooltip="Finish the link on the span under the caret (while linking)"),
    Binding("escape", "cancel_link", "cancel link", show=False, id="cancel_link",
            tooltip="Stop making a link"),
    Binding("P", "jump_partner", "partner", show=False, id="jump_partner",
            tooltip="Jump to the span linked to the one under the caret (again: the next partner)"),
    Binding("K", "links_list", "links", show=False, id="links_list",
            tooltip="List this article's links with their cluster ids (enter jumps, x deletes, r relabels)"),
]
