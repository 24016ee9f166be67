"""Serve the public web chat: `python app.py [--host H] [--port P]` (defaults 127.0.0.1:7860, or HCB_HOST/HCB_PORT).

The index must already exist (`make run` builds it first); without one this prints one line and exits non-zero.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Serve the NHS reform documents web chat.")
    p.add_argument("--host", help="interface to bind (default 127.0.0.1; 0.0.0.0 only behind a reverse proxy)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    args = p.parse_args(argv)
    # Before gradio is imported: no analytics, no hub look-ups, no model downloads.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

    from assistant import HcbError, Settings, open_assistant, set_offline_env

    set_offline_env()
    try:
        settings = Settings.from_env(host=args.host, port=args.port)
        assistant = open_assistant(settings)
        # Load the model and touch the stores now, not on the first visitor's question (~10 s cold).
        assistant.search("integrated care boards")
    except HcbError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code

    from assistant.web.app import build_app, serve
    from assistant.web.service import Service

    svc = Service(assistant, settings)
    print(f"serving on http://{settings.web.host}:{settings.web.port} (concurrency {settings.web.concurrency}; "
          f"JSON API at /api/ask, /api/documents, /api/openapi.json)", flush=True)
    serve(build_app(svc), svc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
