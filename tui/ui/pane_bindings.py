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


def _resize_binding(keys: str, shown: str, edge: str, step: int, by_word: bool) -> Binding:
    """The binding that moves the current span's `edge` ("start" or "end") by `step` (-1 earlier,
    1 later) characters, or words; hidden from the footer, shown as `shown`."""
    grows = (step < 0) == (edge == "start")
    when = "earlier" if step < 0 else "later"
    size = "grow" if grows else "shrink"
    return Binding(
        keys,
        f"resize({edge!r}, {step}{', True' if by_word else ''})",
        f"{edge} a word {when}" if by_word else f"{size} {edge}",
        show=False,
        key_display=shown,
        id=f"{size}_{edge}{'_word' if by_word else ''}",
        tooltip=f"Move the span's {edge} one {'word' if by_word else 'character'} {when}",
    )


def _both_ways(action: str, what: str, tooltip: str, keys: tuple[str, str], *,
               shown: tuple[str | None, str | None] = (None, None), show: tuple[bool, bool] = (False, False),
               ident: str | None = None) -> list[Binding]:
    """The bindings to the next and to the previous `what`: `action(1)` on the first key, `action(-1)`
    on the second; ids next_IDENT / previous_IDENT (IDENT: `what`), `tooltip` with {way} for the
    direction, `shown` the keys as the footer and help show them, `show` whether the footer does."""
    return [
        Binding(key, f"{action}({step})", f"{way} {what}", show=visible, key_display=display,
                id=f"{way}_{ident or what}", tooltip=tooltip.format(way=way))
        for key, display, visible, way, step in zip(keys, shown, show, ("next", "previous"), (1, -1))
    ]


PANE_BINDINGS: list[BindingType] = [
    Binding("x,delete", "delete_span", "delete", id="delete_span",
            tooltip="Delete the innermost span under the caret"),
    Binding("r", "relabel", "relabel", show=True, id="relabel",
            tooltip="Change the label of the span under the caret to the next label"),
    *(_resize_binding(keys, shown, edge, step, by_word) for keys, shown, edge, step, by_word in (
        ("left_square_bracket", "[", "start", -1, False),
        ("right_square_bracket", "]", "start", 1, False),
        ("left_curly_bracket", "{", "end", -1, False),
        ("right_curly_bracket", "}", "end", 1, False),
        # alt+[ and alt+] never arrive as such (tmux and xterm deliver a plain [ or ], ESC [ being CSI),
        # so every word resize has a plain key: ( ) grow by a word, - _ shrink by a word.
        ("left_parenthesis,alt+left_square_bracket", "(", "start", -1, True),
        ("minus,alt+right_square_bracket", "-", "start", 1, True),
        ("underscore,alt+left_curly_bracket", "_", "end", -1, True),
        ("right_parenthesis,alt+right_curly_bracket", ")", "end", 1, True),
    )),
    Binding("full_stop", "cycle_span", "next span here", show=False, key_display=".", id="cycle_span",
            tooltip="Several spans under the caret: make the next one current (what x, r, [ ] { } act on)"),
    Binding("number_sign", "span_list", "spans", show=True, key_display="#", id="span_list",
            tooltip="List this article's spans in text order (type to filter by label, enter jumps)"),
    Binding("i", "legend", "labels", show=False, id="label_legend",
            tooltip="The labels: keys, colours as in the text, and their guidelines"),
    Binding("exclamation_mark", "exact_once", "exact tag", show=False, key_display="!", id="exact_once",
            tooltip="The next tag takes the selection exactly as it is (no snapping to whole words)"),
    *_both_ways("next_match", "match", "Jump to the {way} search match", ("n", "N"), show=(True, True)),
    *_both_ways("next_span", "span", "Jump to the {way} span", ("n", "N"), show=(True, False)),
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
    *_both_ways("neighbour", "article", "Open the {way} article in this pane", ("greater_than_sign", "less_than_sign"),
                shown=(">", "<"), ident="document"),
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
    *_both_ways("next_candidate", "candidate", "Jump to the {way} candidate", ("semicolon", "comma"),
                shown=(";", ",")),
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
