"""A minimal Textual app wrapped in tui.terminal's session, to test the pty harness and the
session's exit paths independently of the real app.  Run: python tiny_app.py MODE [raise]"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from tui.terminal import bidi_terminal_session, textual_app_options


class TinyApp(App):
    BINDINGS = [("q", "quit", "Quit"), ("x", "boom", "Raise"), ("alt+a", "alt_pressed", "Alt"),
                ("h", "hang", "Hang")]
    CSS = "Static { color: $accent; background: $panel; } #red { color: #ff0000; background: #00ff00; }"

    def compose(self) -> ComposeResult:
        yield Static("ready مرحبا", id="hello")
        yield Static("colour", id="red")
        yield Footer()

    def on_mount(self) -> None:
        print("mounted")  # goes through Textual's stdout capture, harmless

    def action_alt_pressed(self) -> None:
        self.query_one("#hello", Static).update("alt+a arrived")

    def action_hang(self) -> None:
        import time

        time.sleep(60)  # the event loop is stuck: only the session's watchdog can end this

    def action_boom(self) -> None:
        raise RuntimeError("boom from tiny app")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "app"
    app = TinyApp(**textual_app_options())
    with bidi_terminal_session(mode, app=app):
        app.run()
    sys.exit(app.return_code or 0)
