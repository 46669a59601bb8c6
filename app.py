"""ConsultBench Gradio app (minimal page; the full UI is built in ui/)."""

from __future__ import annotations

import os

import gradio as gr

from dialogue.runtime import Runtime
from dialogue.settings import Settings

DISCLAIMER = "Research and education tool: simulated patients, not medical advice."


def build_app(rt: Runtime) -> gr.Blocks:
    with gr.Blocks(title="ConsultBench") as demo:
        gr.Markdown(f"# ConsultBench\n{DISCLAIMER}\n\n{len(rt.library.cases)} cases loaded.", elem_id="disclaimer")
    return demo


def main() -> None:
    rt = Runtime(Settings.from_env())
    demo = build_app(rt)
    demo.queue(default_concurrency_limit=64).launch(
        server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        server_port=int(os.environ.get("GRADIO_SERVER_PORT", os.environ.get("PORT", "7860"))),
        share=False,
    )


if __name__ == "__main__":
    main()
