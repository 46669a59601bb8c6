"""The web UI: one module per tab (`consult`, `sessions`, `annotate`, `results`), each with `build()` that
lays out its components and `wire()` that binds its module-level handlers; `state` holds what the tabs share
and `events` the pure mapping from engine events to what the consult view shows.

The core (`dialogue`) never imports this package; this package only calls the core.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from dialogue.runtime import Runtime

from . import access, annotate, consult, results, sessions
from .state import DISCLAIMER, AppState, Shared

# Passed to launch(head=...): a live character count under the doctor's message box (one delegated listener
# survives Gradio re-renders).
HEAD = """<script>
function cbCount() {
  const box = document.querySelector("#msg textarea"), out = document.getElementById("msg-count");
  if (!box || !out) return;
  const n = box.value.length, limit = Number(out.dataset.limit);
  out.textContent = `${n.toLocaleString()} / ${limit.toLocaleString()} characters` + (n > limit ? " - too long" : "");
  out.style.color = n > limit ? "#b91c1c" : "";
}
document.addEventListener("input", cbCount);
setInterval(cbCount, 500);  // the app clears the box after Send without an input event
// Annotator shortcuts (outside text boxes): n = next, s = skip, b = back, Ctrl+Enter = submit scores.
document.addEventListener("keydown", (e) => {
  const typing = ["INPUT", "TEXTAREA"].includes(e.target.tagName) && e.target.type !== "radio";
  const click = (id) => { const b = document.getElementById(id); if (b) { e.preventDefault(); b.click(); } };
  if (e.ctrlKey && e.key === "Enter" && document.getElementById("annotate-info")?.offsetParent) {
    return click("submit-annotation");
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey || !document.getElementById("annotate-info")?.offsetParent) return;
  if (e.key === "n") click("next-session");
  else if (e.key === "s") click("skip-session");
  else if (e.key === "b") click("previous-session");
});
</script>"""


def browser_key(key: str) -> str:
    """On page load: this browser's key, made on its first visit."""
    return key or access.new_browser_key()


@dataclass
class App:
    """The built app: its Blocks and each tab (components and shared state), for handlers called directly."""

    demo: gr.Blocks
    consult: consult.ConsultTab
    sessions: sessions.SessionsTab
    annotate: annotate.AnnotateTab
    results: results.ResultsTab


# Passed to launch(css=...): wide figure tables scroll sideways on a phone instead of breaking words mid-letter.
CSS = """
#validity table { display: block; overflow-x: auto; }
#validity th, #validity td { word-break: normal; overflow-wrap: normal; white-space: nowrap; }
"""


def build_app(rt: Runtime) -> gr.Blocks:
    return build(rt).demo


def build(rt: Runtime) -> App:
    state = AppState(rt)
    # delete_cache: exported files and transcripts are dropped from Gradio's cache after a day
    with gr.Blocks(title="ConsultBench", delete_cache=(3600, 86400)) as demo:
        sid = gr.BrowserState("", storage_key="consultbench_session")
        browser = gr.BrowserState("", storage_key="consultbench_browser")
        gr.Markdown("# ConsultBench — simulated patient consultations")
        gr.Markdown(DISCLAIMER, elem_id="disclaimer")
        with gr.Tabs(selected="consult", elem_id="tabs") as tabs:
            shared = Shared(tabs=tabs, sid=sid, browser=browser)
            with gr.Tab("Consult", id="consult", elem_id="tab-consult"):
                consult_tab = consult.build(state, shared)
            with gr.Tab("Sessions", id="sessions", elem_id="tab-sessions"):
                sessions_tab = sessions.build(state, consult_tab)
            with gr.Tab("Annotate", id="annotate", elem_id="tab-annotate"):
                annotate_tab = annotate.build(state)
            with gr.Tab("Results", id="results", elem_id="tab-results") as results_page:
                results_tab = results.build(state)
        demo.load(browser_key, browser, browser)
        consult.wire(consult_tab, demo)
        sessions.wire(sessions_tab)
        annotate.wire(annotate_tab)
        results.wire(results_tab, results_page)
    return App(demo, consult_tab, sessions_tab, annotate_tab, results_tab)


__all__ = ["CSS", "HEAD", "App", "build", "build_app"]
