"""Is the app drawn in a browser? textual-serve (`tui serve`) and textual-web run it under
Textual's web driver, and xterm.js draws it there.

xterm.js has no bidi of its own (xterm.js issue #701) and draws every cell as given, so there
the app always reorders and joins Arabic itself (`--bidi app`, shaping on), whatever the
config file says for terminals. Browsers also keep some keys for themselves: see
BROWSER_RESERVED_KEYS.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"

BROWSER_RESERVED_KEYS = frozenset({
    "ctrl+w", "ctrl+t", "ctrl+n", "ctrl+tab", "ctrl+shift+tab", "ctrl+shift+t", "ctrl+shift+n",
    "ctrl+shift+w", "ctrl+pageup", "ctrl+pagedown", "ctrl+l", "ctrl+q", "f11", "f12", "ctrl+f4", "alt+f4",
})
"""Keys a browser acts on before the page sees them (close / new tab / new window / switch tab /
address bar / full screen / developer tools): an action bound only to one of these cannot be
used in a browser."""

REACHABLE_OTHERWISE = {"ctrl+w": "alt+backspace"}
"""Reserved keys whose binding a browser user still reaches: xterm.js sends Alt+Backspace as
ESC DEL, which Textual reads as ctrl+w (delete the word before the cursor)."""

XTERM_JS_SAME_KEYS = {"alt+left": "ctrl+left", "alt+right": "ctrl+right"}
"""xterm.js sends Alt+Left as ctrl+Left (ESC [1;5D, "move a word back" as in shells) and
Alt+Right as ctrl+Right: in a browser they are one key, so they must not mean two things."""


def in_browser(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("TEXTUAL_DRIVER", "") == WEB_DRIVER or env.get("TERM_PROGRAM", "") == "textual"


def browser_display(bidi: str, shaping: bool, env: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """The display mode to use: in a browser always ('app', True); elsewhere as given."""
    if in_browser(env):
        return "app", True
    return bidi, shaping
