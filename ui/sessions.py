"""The Sessions tab: filter stored sessions, open one read-only, resume it in Consult, export."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from dialogue import queries, views
from dialogue.schema import TEMPERAMENTS, Session, SessionRecord
from dialogue.store.sessions import StoreError

from . import access, consult
from .events import stored_view
from .state import STREAMING, AppState, bound

Out = dict[Any, Any]
COLUMNS = ["session", "created (UTC)", "status", "case", "temperament", "axes", "doctor", "final dx"]


@dataclass
class SessionsTab:
    state: AppState
    consult: consult.ConsultTab
    status: Any
    case: Any
    temperament: Any
    model: Any
    days: Any
    refresh: Any
    table: Any
    open_id: Any
    open: Any
    resume: Any
    export: Any
    transcript: Any
    file: Any
    details: Any
    chat: Any

    @property
    def filters(self) -> list[Any]:
        return [self.status, self.case, self.temperament, self.model, self.days]


def build(state: AppState, consult_tab: consult.ConsultTab) -> SessionsTab:
    c: dict[str, Any] = {}
    with gr.Row():
        c["status"] = gr.Dropdown(
            ["any", "live", "ended", "capped", "error"], value="any", label="Status", elem_id="filter-status"
        )
        c["case"] = gr.Textbox(label="Case contains", elem_id="filter-case")
        c["temperament"] = gr.Dropdown(
            ["any", *TEMPERAMENTS], value="any", label="Temperament", elem_id="filter-temperament"
        )
        c["model"] = gr.Textbox(label="Doctor model contains", elem_id="filter-model")
        c["days"] = gr.Number(value=0, label="Only the last N days (0 = all)", elem_id="filter-days", precision=0)
        c["refresh"] = gr.Button("Refresh", elem_id="refresh-sessions")
    c["table"] = gr.Dataframe(
        value=pd.DataFrame(columns=COLUMNS), interactive=False, elem_id="sessions-table", wrap=True
    )  # real headers before the first Refresh, not Gradio's "1 2 3"
    with gr.Row():
        c["open_id"] = gr.Textbox(label="Session id", elem_id="open-id", scale=3)
        c["open"] = gr.Button("Open (read-only)", elem_id="open-session")
        c["resume"] = gr.Button("Resume in Consult", elem_id="resume-session")
    with gr.Row():
        c["export"] = gr.Button("Export refresh sessions as JSONL", elem_id="export-jsonl")
        c["transcript"] = gr.Button("Download transcript", elem_id="download-transcript")
        c["file"] = gr.File(label="Download", elem_id="export-file", interactive=False)
    c["details"] = gr.Markdown("", elem_id="session-details")
    c["chat"] = gr.Chatbot(label="Transcript", elem_id="session-chat", height=380, sanitize_html=True, line_breaks=True)
    return SessionsTab(state=state, consult=consult_tab, **c)


# --------------------------------------------------------------------------- handlers


def session_table(heads: list[Session]) -> pd.DataFrame:
    rows = [
        {
            "session": s.id,
            "created (UTC)": time.strftime("%Y-%m-%d %H:%M", time.gmtime(s.created_at)),
            "status": s.status,
            "case": s.case_id,
            "temperament": s.temperament,
            "axes": ",".join(s.axes),
            "doctor": s.doctor.model,
            "final dx": s.final_diagnosis or "",
        }
        for s in heads
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _admin(t: SessionsTab, profile: gr.OAuthProfile | None) -> bool:
    return access.is_admin(profile.username if profile else None, t.state.rt.settings.admins)


def refresh(
    t: SessionsTab,
    status: str,
    case_q: str,
    temp: str,
    model_q: str,
    days: float | None,
    browser: str = "",
    profile: gr.OAuthProfile | None = None,
) -> pd.DataFrame:
    """The sessions matching the filter that this visitor may see (all of them for an admin)."""
    f = queries.SessionFilter(
        status=status, case_contains=case_q or "", temperament=temp, model_contains=model_q or "", days=days or 0
    )
    admin = _admin(t, profile)
    try:
        heads = queries.find_sessions(t.state.rt.store, f)
    except StoreError as e:
        raise gr.Error(str(e)) from None
    return session_table([s for s in heads if access.can_open(s, browser, admin)])


def _record(t: SessionsTab, sid: str, browser: str, profile: gr.OAuthProfile | None) -> SessionRecord:
    """A session this visitor may open; the same "no session" error whether it is missing or not theirs."""
    try:
        rec = t.state.rt.store.record((sid or "").strip())
    except StoreError as e:
        raise gr.Error(str(e)) from None
    if not access.can_open(rec.session, browser, _admin(t, profile)):
        raise gr.Error(f"no session {sid.strip()!r} among yours")
    return rec


def pick_row(evt: gr.SelectData, df: pd.DataFrame) -> str:
    row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
    return str(df.iloc[int(row)]["session"]) if len(df) else ""


def open_session(t: SessionsTab, sid: str, browser: str = "", profile: gr.OAuthProfile | None = None) -> Out:
    rt = t.state.rt
    rec = _record(t, sid, browser, profile)
    s = rec.session
    truth = views.truth_panel(s, rt.case(s.case_id))
    details = (
        f"**{s.id}** · case `{s.case_id}` · {s.temperament} · axes {', '.join(s.axes) or 'none'} · "
        f"doctor {views.escape(s.doctor.model)} · patient {views.escape(s.patient.model)} · "
        f"{views.status_line(s)} · leak-guard events {s.leak_events}\n\n{truth}\n\n"
        + views.assessment_panel(rec.assessment, rt.library.rubrics["dialogue_quality"])
    )
    return {t.details: details, t.chat: views.chat_messages(rec.turns)}


def resume_from_list(t: SessionsTab, sid: str, browser: str = "", profile: gr.OAuthProfile | None = None) -> Out:
    sid = _record(t, sid, browser, profile).session.id
    t.state.open.pop(sid, None)
    c = t.state.get(sid)
    v = stored_view(t.state.rt.store, c, t.consult.rubric)
    v.busy = c.live and not c.waiting_for_human()
    if v.busy:
        v.status = STREAMING
    return {t.consult.shared.tabs: gr.Tabs(selected="consult"), **consult.opened_view(t.consult, c, v)}


def export(
    t: SessionsTab,
    status: str,
    case_q: str,
    temp: str,
    model_q: str,
    days: float | None,
    profile: gr.OAuthProfile | None = None,
) -> str:
    """Every listed session as JSONL (with annotator names): admins only."""
    if not _admin(t, profile):
        raise gr.Error("Exporting sessions is for admins: log in with an account listed in CB_ADMINS.")
    df = refresh(t, status, case_q, temp, model_q, days, "", profile)
    fd, path = tempfile.mkstemp(prefix="consultbench-", suffix=".jsonl")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for line in t.state.rt.store.export_jsonl(df["session"].tolist()):
            f.write(line + "\n")
    gr.Info(f"Exported {len(df)} session(s).")
    return path


def download_transcript(t: SessionsTab, sid: str, browser: str = "", profile: gr.OAuthProfile | None = None) -> str:
    rec = _record(t, sid, browser, profile)
    path = Path(tempfile.mkdtemp()) / f"consultation-{rec.session.id}.md"
    path.write_text(views.transcript_markdown(rec), encoding="utf-8")
    return str(path)


def wire(t: SessionsTab) -> None:
    browser = t.consult.shared.browser
    t.refresh.click(bound(refresh, t), [*t.filters, browser], t.table)
    t.table.select(pick_row, t.table, t.open_id)
    t.open.click(bound(open_session, t), [t.open_id, browser], [t.details, t.chat])
    c = t.consult
    t.resume.click(bound(resume_from_list, t), [t.open_id, browser], [c.shared.tabs, *c.opened]).success(
        bound(consult.run_session, c), c.shared.sid, c.outputs
    )
    t.export.click(bound(export, t), t.filters, t.file)
    t.transcript.click(bound(download_transcript, t), [t.open_id, browser], t.file)
