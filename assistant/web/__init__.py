"""The web chat (a consumer of the public API): Gradio app and its escaped HTML view.

    app.py        the Blocks app, the /ask and /documents API, launch settings
    view.py       pure functions: answer and source records → escaped HTML
"""
