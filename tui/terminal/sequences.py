"""The control sequences that settle a terminal's bidi mode, and their tmux/screen passthrough form
(pure: strings in, strings out; see tui.terminal for what each mode means)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.terminal.detection import TerminalInfo

from tui.vocabulary import BIDI_MODES as BIDI_MODES
from tui.vocabulary import SHAPING_MODES as SHAPING_MODES

ESC = "\x1b"
CSI = ESC + "["
BDSM_EXPLICIT = CSI + "8l"  # RM 8: explicit mode, the terminal does not reorder
BDSM_IMPLICIT = CSI + "8h"  # SM 8: implicit mode, the terminal's default
SCP_LTR = CSI + "1 k"  # Select Character Path: left to right
SCP_DEFAULT = CSI + "0 k"  # Select Character Path: back to the default
SETUP_SEQUENCES = (BDSM_EXPLICIT, SCP_LTR)
RESTORE_SEQUENCES = (BDSM_IMPLICIT, SCP_DEFAULT)

SIGNAL_GRACE_SECONDS = 3.0
"""How long a signalled app gets to leave the alternate screen before we exit hard."""

TEXTUAL_MODES_OFF = (
    CSI + "?2004l"  # bracketed paste
    + CSI + "?1000l" + CSI + "?1003l" + CSI + "?1015l" + CSI + "?1006l"  # mouse reporting
    + CSI + "<u"  # kitty keyboard protocol
    + CSI + "?1004l"  # focus events
    + CSI + "?7h"  # line wrap
    + CSI + "?1049l"  # alternate screen
    + CSI + "?25h"  # cursor
)
"""What Textual's driver undoes on a normal exit; written by a hard exit when the app hung."""


def passthrough(sequence: str, multiplexer: str | None) -> str:
    """Wrap one control sequence so that tmux or screen hands it to the outer terminal.

    tmux: ``ESC P tmux; <sequence with every ESC doubled> ESC \\``; screen: ``ESC P <sequence> ESC \\``.
    """
    if not sequence:
        return ""
    if multiplexer == "tmux":
        return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ESC}\\"
    if multiplexer == "screen":
        return f"{ESC}P{sequence}{ESC}\\"
    if multiplexer is None:
        return sequence
    raise ValueError(f"unknown multiplexer {multiplexer!r} (expected 'tmux', 'screen' or None)")


def check_mode(mode: str) -> str:
    """Validate a --bidi mode."""
    if mode not in BIDI_MODES:
        raise ValueError(f"unknown bidi mode {mode!r}: choose one of {', '.join(BIDI_MODES)}")
    return mode


def setup_sequence(mode: str, info: TerminalInfo) -> str:
    """What to write before the first frame: explicit mode + LTR in `app` mode, nothing otherwise."""
    if check_mode(mode) != "app" or not info.sends_bidi_sequences:
        return ""
    return "".join(passthrough(seq, info.multiplexer) for seq in SETUP_SEQUENCES)


def restore_sequence(mode: str, info: TerminalInfo) -> str:
    """What undoes `setup_sequence` (implicit mode + default direction)."""
    if check_mode(mode) != "app" or not info.sends_bidi_sequences:
        return ""
    return "".join(passthrough(seq, info.multiplexer) for seq in RESTORE_SEQUENCES)
