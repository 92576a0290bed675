"""What the terminal does with right-to-left text, and the control sequences that settle it.

Terminals disagree about Arabic.  Some draw every cell exactly where it is written (xterm, kitty,
Alacritty, Windows Terminal, VS Code); others run the Unicode Bidirectional Algorithm over each
row themselves (VTE terminals such as GNOME Terminal, Konsole, mintty, mlterm, macOS Terminal,
WezTerm with ``bidi_enabled``).  Our layout engine already reorders and shapes, so a terminal of
the second kind would reorder our text a second time and show it backwards.

The three display modes (``--bidi``):

``app`` (default)
    We shape and reorder: the screen gets visual order, one cell per column.  Before Textual's
    first frame we ask bidi-aware terminals to stop reordering: BDSM reset ``CSI 8 l``
    (explicit mode) and SCP ``CSI 1 SP k`` (left-to-right presentation), the sequences of the
    Terminal-WG bidi recommendation that VTE and mintty implement.  On every way out (quit,
    exception, SIGTERM, SIGHUP) we restore ``CSI 8 h`` (implicit mode) and ``CSI 0 SP k``
    (default direction).  Terminals that do not know these sequences ignore them.
``terminal``
    We send text in logical order and let the terminal reorder it: for terminals that reorder
    and ignore BDSM (Konsole, macOS Terminal).  The caret and selection are still logical
    offsets into the stored text, so tags are correct; only the on-screen caret column is the
    terminal's guess.  No control sequences are sent: the terminal stays in implicit mode.
``off``
    Raw logical text, left to right, no reordering and no terminal sequences.  For debugging
    and for terminals where nothing else works.

Inside tmux or GNU screen the multiplexer swallows unknown sequences, so they are wrapped in
its DCS passthrough form (tmux additionally needs ``set -g allow-passthrough on``).

Nothing here imports Textual. The package: ``tui.terminal.detection`` (what the environment says,
pure), ``tui.terminal.sequences`` (the byte strings and passthrough, pure), ``tui.terminal.session``
(writes them to a file descriptor around the app's run, signals, suspend; takes an optional app to ask
to exit). Everything public is importable from ``tui.terminal``.
"""
from tui.terminal.detection import (
    KNOWN_TERMINALS, KnownTerminal, TerminalInfo, color_depth, detect, detect_emulator, detect_multiplexer,
    recommended_bidi, textual_app_options,
)
from tui.terminal.sequences import (
    BDSM_EXPLICIT, BDSM_IMPLICIT, BIDI_MODES, CSI, ESC, RESTORE_SEQUENCES, SCP_DEFAULT, SCP_LTR, SETUP_SEQUENCES,
    SHAPING_MODES, TEXTUAL_MODES_OFF, check_mode, passthrough, restore_sequence, setup_sequence,
)
from tui.terminal.session import (
    SIGNAL_GRACE_SECONDS, BidiTerminal, apply_mode, bidi_terminal_session, current_session,
)

__all__ = [
    "BDSM_EXPLICIT", "BDSM_IMPLICIT", "BIDI_MODES", "CSI", "ESC", "KNOWN_TERMINALS", "RESTORE_SEQUENCES",
    "SCP_DEFAULT", "SCP_LTR", "SETUP_SEQUENCES", "SHAPING_MODES", "SIGNAL_GRACE_SECONDS", "TEXTUAL_MODES_OFF",
    "BidiTerminal", "KnownTerminal", "TerminalInfo", "apply_mode", "bidi_terminal_session", "check_mode",
    "color_depth", "current_session", "detect", "detect_emulator", "detect_multiplexer",
    "passthrough", "recommended_bidi", "restore_sequence", "setup_sequence", "textual_app_options",
]

