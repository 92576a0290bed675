"""The app in a browser (`tui serve`): textual-serve runs one app process per browser tab.

    names.py    what an annotator name may be (pure; the page, the URL and the first screen agree)
    access.py   who may connect: loopback by default, a token otherwise (pure policy + aiohttp middleware)
    server.py   the textual-serve Server with our page, the token checks and one command per tab
    session.py  the process each tab runs: the annotation app, first asking who is annotating
    screen.py   that first screen (Textual)
    (the `tui serve` command itself is tui/commands/serve.py)

textual-serve is an extra (`pip install 'tui-annotate[web]'`); nothing here is imported by the
terminal app.
"""
