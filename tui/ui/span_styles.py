"""How spans, caret, selection and search matches look in the document view.

Every label has a colour (truecolor/256), an ANSI-16 fallback colour and a text-attribute *cue* that
survives 16 colours and NO_COLOR.  Cues of nested spans add up, so a claim containing an entity and a
date shows the claim cue on all its cells and the entity/date cue on theirs:

    entity  bold       + foreground colour
    claim   underline  + background tint
    date    italic     + foreground colour

Caret and selection never use a label cue: the selection is a background colour (``reverse`` under
NO_COLOR and 16 colours), the caret is ``reverse`` (double underline + bold while a reversed selection
is shown, so the selection's extent stays exact).  Search matches get an overline and a tint; a
selected match is drawn as the selection (with its overline): the selection wins.  Other annotators' (read-only) spans
keep their cue but are drawn ``dim``.  *Candidates* (another source's spans offered for accept/reject) keep
their label's cue, drawn ``dim`` in a fainter colour with a double underline (the terminal's nearest to
a dotted line), so they differ from both your spans and others' shown with ``t``, also under NO_COLOR.
A linked span (issue 13) gets an overline too (search matches add a tint); the partners of the
span under the caret are drawn ``reverse``.

Nothing here imports the widget; the widget asks a :class:`Palette` for a Rich ``Style`` per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Literal, Mapping

from rich.color import Color as RichColor
from rich.color import ColorParseError
from rich.style import Style
from textual.color import Color

from tui.safe_rich import colour_warning, parse_colour

Cue = Literal["bold", "underline", "italic", "reverse", "strike", "overline", "dim", "underline2"]
Layer = Literal["fg", "bg"]
SpanKind = bool | Literal["candidate", "pending"]
"""How a span covering a cell is drawn: False = yours, True = another annotator's (read-only),
CANDIDATE = a candidate, PENDING = an action on it not yet committed (tui.ui.writer)."""
CANDIDATE: Literal["candidate"] = "candidate"
PENDING: Literal["pending"] = "pending"

CUES: tuple[Cue, ...] = ("bold", "underline", "italic", "strike", "overline", "underline2")
"""Cues handed out, in order, to labels that have no default style."""

_FALLBACK_COLOURS = (
    ("#5fafff", "bright_cyan"),
    ("#d7af5f", "yellow"),
    ("#87d787", "bright_green"),
    ("#d787d7", "bright_magenta"),
    ("#ff8787", "bright_red"),
    ("#afafff", "bright_blue"),
)


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """The look of one label: colour, ANSI-16 fallback colour and a colour-free cue."""

    name: str
    color: str
    """Colour for truecolor / 256-colour terminals (any Rich colour, e.g. ``"#5fafff"``)."""
    ansi_color: str
    """ANSI-16 fallback (e.g. ``"bright_cyan"``), used when the terminal has 16 colours."""
    cue: Cue
    """Text attribute that tells the label apart without colour."""
    layer: Layer = "fg"
    """``fg``: the colour paints the text; ``bg``: a tint behind it (so nested fg labels stay visible)."""

    def style(self, color_system: str | None, background: Color, *, readonly: bool = False,
              candidate: bool = False) -> Style:
        """The Rich style of a cell covered by a span with this label."""
        attrs: dict[str, Any] = {self.cue: True}
        if readonly or candidate:
            attrs["dim"] = True
        if candidate:
            attrs["underline2"] = True
        if color_system is None:
            return Style(**attrs)
        if color_system == "standard":
            colour = _rich_color(self.ansi_color)
        else:
            alpha = 0.3 if self.layer == "bg" else 1.0
            colour = _blend(self.color, background, alpha * (0.75 if candidate else 1.0), readonly or candidate)
        if colour is None:
            return Style(**attrs)
        if self.layer == "bg":
            return Style(bgcolor=colour, **attrs)
        return Style(color=colour, **attrs)


def _rich_color(name: str) -> RichColor | None:
    try:
        return RichColor.parse(name)
    except ColorParseError:
        return None


def _blend(colour: str, background: Color, alpha: float, readonly: bool) -> RichColor | None:
    try:
        parsed = Color.parse(colour)
    except Exception:  # textual.color.ColorParseError and friends: an unusable colour in the DB
        return _rich_color(colour)
    if readonly:
        alpha *= 0.6
    if alpha < 1.0:
        parsed = background.blend(parsed, alpha)
    return parsed.rich_color


def default_label_styles() -> dict[str, LabelStyle]:
    """Styles for the three built-in labels (entity, claim, date)."""
    return {
        "entity": LabelStyle("entity", "#5fafff", "bright_cyan", "bold", "fg"),
        "claim": LabelStyle("claim", "#d7af00", "blue", "underline", "bg"),
        "date": LabelStyle("date", "#87d787", "bright_green", "italic", "fg"),
    }


def label_styles_from_labels(labels: Iterable[object]) -> dict[str, LabelStyle]:
    """Build label styles from the store's labels table (objects with ``name`` and ``colour``/``color``).

    Built-in labels keep their cue and layer (the cue is what survives NO_COLOR); a colour from the
    table replaces the default colour. Other labels get the next unused cue and a fallback colour.
    """
    defaults = default_label_styles()
    styles: dict[str, LabelStyle] = {}
    used = {style.cue for style in defaults.values()}
    spare = [cue for cue in CUES if cue not in used]
    for index, label in enumerate(labels):
        name = str(getattr(label, "name"))
        # A colour that does not parse (the labels table is anyone's to edit) falls back to the
        # default: see label_colour_warnings for the message the app shows.
        colour = parse_colour(getattr(label, "colour", None) or getattr(label, "color", None))
        if name in defaults:
            base = defaults[name]
            styles[name] = LabelStyle(name, colour or base.color, base.ansi_color, base.cue, base.layer)
            continue
        fallback, ansi = _FALLBACK_COLOURS[index % len(_FALLBACK_COLOURS)]
        cue = spare.pop(0) if spare else "bold"
        styles[name] = LabelStyle(name, colour or fallback, ansi, cue, "fg")
    return styles


def label_colour_warnings(labels: Iterable[object]) -> list[str]:
    """One warning per label whose colour in the labels table does not parse (drawn in the default)."""
    warnings = []
    for label in labels:
        colour = getattr(label, "colour", None) or getattr(label, "color", None)
        if colour and parse_colour(colour) is None:
            warnings.append(colour_warning(getattr(label, "name", "?"), colour))
    return warnings


@dataclass(frozen=True)
class Palette:
    """Resolves what covers a cell (spans, selection, caret, search match) to one Rich style.

    A palette is fixed for one colour mode and theme; the widget builds a new one when either changes.
    """

    label_styles: Mapping[str, LabelStyle]
    color_system: str | None
    """Rich colour system name ("truecolor", "256", "standard") or None for NO_COLOR."""
    background: Color = Color(0, 0, 0)
    selection_color: Color = Color(38, 79, 120)
    highlight_color: Color = Color(95, 95, 0)
    _cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def no_color(self) -> bool:
        return self.color_system is None

    @property
    def marks_by_attribute(self) -> bool:
        """Selection and caret drawn with ``reverse`` rather than colour: under NO_COLOR, and with 16
        colours, where a selection tint could round to the same ANSI colour as a label."""
        return self.color_system in (None, "standard", "windows")

    def cell_style(
        self,
        spans: tuple[tuple[str, SpanKind], ...],
        selected: bool,
        caret: Literal["", "focused", "blurred"],
        selection_active: bool,
        highlighted: bool,
        linked: bool = False,
        partner: bool = False,
    ) -> Style:
        """Style of a cell from its (label, kind) spans outer→inner and its other states.

        Results are memoised: the number of distinct combinations on screen is tiny.
        """
        key = (spans, selected, caret, selection_active, highlighted, linked, partner)
        style = self._cache.get(key)
        if style is None:
            style = self._cache[key] = self._compose(*key)
        return style

    def _compose(
        self,
        spans: tuple[tuple[str, SpanKind], ...],
        selected: bool,
        caret: str,
        selection_active: bool,
        highlighted: bool,
        linked: bool = False,
        partner: bool = False,
    ) -> Style:
        style = Style()
        for label, kind in spans:
            label_style = self.label_styles.get(label)
            if label_style is None:
                label_style = LabelStyle(label, "#d7d7d7", "white", "underline2")
            candidate = kind == CANDIDATE
            style += label_style.style(self.color_system, self.background, readonly=kind is True,
                                       candidate=candidate)
            if kind == PENDING:  # not saved yet: dim and reversed, in every colour mode
                style += Style(dim=True, reverse=True)
        if linked:
            style += Style(overline=True)
        if partner:
            style += Style(reverse=True, bold=True)
        if highlighted:
            style += Style(overline=True)
            # The selection wins over a match's tint: with 16 colours the selection is ``reverse``,
            # which would turn the tint into grey letters on a white cell (issue 19).
            if not self.no_color and not (selected and self.marks_by_attribute):
                style += Style(bgcolor=self.highlight_color.rich_color)
        if selected:
            if self.marks_by_attribute:
                style += Style(reverse=True)
            else:
                style += Style(bgcolor=self.selection_color.rich_color)
        if caret == "focused":
            if self.marks_by_attribute and selection_active:
                style += Style(underline2=True, bold=True)
            else:
                style += Style(reverse=not style.reverse)
        elif caret == "blurred":
            style += Style(underline2=True)
        return style


@lru_cache(maxsize=64)
def cached_palette(
    label_styles: tuple[tuple[str, LabelStyle], ...],
    color_system: str | None,
    background: Color,
    selection_color: Color,
    highlight_color: Color,
) -> Palette:
    """One palette per (styles, colour mode, theme colours), shared by every view."""
    return Palette(dict(label_styles), color_system, background, selection_color, highlight_color)
