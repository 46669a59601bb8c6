"""ConsultBench web app, the entry point: settings from the environment, the runtime, warm-up, launch.

The UI itself is the `ui` package (one module per tab). Run: `python app.py` (embedded defaults) — see
README.md for every setting.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

import gradio as gr

from dialogue.runtime import Runtime
from dialogue.seats import SeatSpec
from dialogue.settings import Settings
from ui import CSS, HEAD, build_app
from ui.state import MAX_OPEN

log = logging.getLogger("consultbench.app")


def warm_models(rt: Runtime) -> None:
    """Load the embedded model and the embedding model in the background so the first turn is fast."""

    def go() -> None:
        try:
            rt.warm_embeddings()
            for spec in {rt.settings.doctor, rt.settings.patient}:
                if SeatSpec.parse(spec).kind in ("local", "local4bit"):  # an endpoint is warm already
                    rt.warm(spec)
        except Exception as e:
            log.warning("model warm-up failed: %s", e)

    threading.Thread(target=go, daemon=True).start()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    rt = Runtime(settings)
    if os.environ.get("CB_WARM", "1") != "0":
        warm_models(rt)
    demo = build_app(rt)
    port = int(os.environ.get("GRADIO_SERVER_PORT", os.environ.get("PORT", "7860")))
    print(
        f"ConsultBench on http://127.0.0.1:{port}  ({len(rt.library.cases)} cases; Redis {rt.store.url.split('@')[-1]})"
    )
    # SIGTERM (a Space or a container stopping) ends like Ctrl-C: the embedded Redis is shut down cleanly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        launch(demo, settings.concurrency, port)
    finally:
        rt.close()


def launch(demo: gr.Blocks, concurrency: int, port: int) -> None:
    demo.queue(default_concurrency_limit=concurrency, max_size=1000).launch(
        server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        server_port=port,
        share=False,
        root_path=os.environ.get("GRADIO_ROOT_PATH") or None,
        show_error=True,
        # Gradio keeps each browser session's last outputs in memory (10,000 sessions by default); the
        # sessions themselves live in Redis, so keep as many as this process keeps consultations open
        state_session_capacity=MAX_OPEN,
        head=HEAD,
        css=CSS,
    )


if __name__ == "__main__":
    main()
