"""Reliability and access: concurrent writers, a killed process, bad content at startup, secrets, Redis auth."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import yaml

from dialogue.content.cases import ContentError
from dialogue.runtime import Runtime, new_session_id
from dialogue.schema import Assessment, Failed, ItemVerdict
from dialogue.settings import Settings
from dialogue.store.redis_server import EmbeddedRedis
from dialogue.store.sessions import SessionStore, StoreError, TurnConflict
from dialogue.testing.tgi_server import TGIServer

ROOT = Path(__file__).resolve().parent.parent


def test_session_ids_are_unguessable() -> None:
    ids = {new_session_id() for _ in range(2000)}
    assert len(ids) == 2000 and all(len(i) >= 22 for i in ids)  # 16 random bytes = 128 bits


async def test_two_tabs_never_interleave_or_duplicate(runtime: Runtime) -> None:
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor="human")
    [e async for e in c.run()]
    tab1, tab2 = runtime.resume(c.session.id), runtime.resume(c.session.id)
    r1, r2 = await asyncio.gather(_collect(tab1.step("When did it start?")), _collect(tab2.step("Does it hurt?")))
    failed = [e for e in (*r1, *r2) if isinstance(e, Failed)]
    assert len(failed) == 1 and "another tab or worker" in failed[0].message
    turns = runtime.store.turns(c.session.id)
    assert [t.index for t in turns] == [0, 1] and turns[1].seat == "doctor"


async def _collect(gen):  # type: ignore[no-untyped-def]
    return [e async for e in gen]


def test_append_conflict_is_detected_in_the_store(runtime: Runtime) -> None:
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor="human")
    t = c._new_turn("patient", "hello", by="x")
    runtime.store.append_turn(c.session, t)
    with pytest.raises(TurnConflict):
        runtime.store.append_turn(c.session, t)


def test_process_killed_mid_turn_leaves_a_resumable_session(
    runtime: Runtime, redis_server: EmbeddedRedis, tmp_path: Path
) -> None:
    with TGIServer(token_delay_s=0.15) as tgi:
        env = dict(os.environ, REDIS_URL=redis_server.url, CB_DATA_DIR=str(tmp_path))
        cmd = [sys.executable, "-m", "dialogue", "run", "--case", "stye-01", "--doctor", f"tgi:{tgi.url()}"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        sid = None
        while time.monotonic() < deadline and sid is None:
            ids = runtime.store.list_ids(limit=1)
            if ids and len(runtime.store.turns(ids[0])) >= 2:
                sid = ids[0]
            time.sleep(0.1)
        time.sleep(0.4)  # mid-way through streaming the next doctor turn
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert sid is not None
        turns = runtime.store.turns(sid)
        assert [t.index for t in turns] == list(range(len(turns))) and runtime.store.get(sid).status == "live"
        c = runtime.resume(sid)
        asyncio.run(_collect(c.run()))
        assert c.session.status == "ended"
        final = runtime.store.turns(sid)
        assert final[: len(turns)] == turns and [t.index for t in final] == list(range(len(final)))


def test_bad_case_file_refuses_startup_unless_configured(
    settings: Settings, store: SessionStore, tmp_path: Path
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    good = yaml.safe_load((ROOT / "personas/cases/stye/stye-01.yaml").read_text())
    (cases / "stye-01.yaml").write_text(yaml.safe_dump(good))
    bad = dict(good, id="broken")
    del bad["facts"]
    (cases / "broken.yaml").write_text(yaml.safe_dump(bad))
    settings.cases_dir = cases
    with pytest.raises(ContentError, match=r"broken\.yaml: facts: Field required"):
        Runtime(settings, store=store)
    settings.skip_bad_cases = True
    rt = Runtime(settings, store=store)
    assert list(rt.library.cases) == ["stye-01"] and "broken.yaml" in rt.library.errors[0]


def test_annotators_write_only_their_own_scores(store: SessionStore) -> None:
    a = Assessment(by="human:alice", verdicts=[ItemVerdict(item_id="empathy", value=True)])
    b = Assessment(by="human:bob", verdicts=[ItemVerdict(item_id="empathy", value=False)])
    store.set_annotation("s1", "alice", a)
    store.set_annotation("s1", "bob", b)
    store.set_annotation("s1", "alice", a.model_copy(update={"comment": "edited"}))
    got = store.annotations("s1")
    assert got["bob"] == b and got["alice"].comment == "edited"
    assert store.annotated_by("alice") == {"s1"}


def test_secrets_stay_out_of_reprs_and_errors() -> None:
    s = Settings(hf_token="hf_supersecret")
    assert "hf_supersecret" not in repr(s) and "hf_supersecret" not in str(s)
    store = SessionStore("redis://:p4ssw0rd@127.0.0.1:9/0")
    with pytest.raises(StoreError) as e:
        store.ping()
    assert "p4ssw0rd" not in str(e.value) and "***@127.0.0.1:9" in str(e.value)


def test_password_redis_and_loopback_bind(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path, password="s3cret-pw") as srv:
        store = SessionStore(srv.url)
        assert store.ping()
        assert store.r.config_get("bind")["bind"] == "127.0.0.1"
        with pytest.raises(StoreError, match=r"(?i)auth"):
            SessionStore(srv.url.replace(":s3cret-pw@", "")).ping()


async def test_token_never_reaches_the_page(runtime: Runtime, tgi: TGIServer, tmp_path: Path) -> None:
    import gradio as gr  # noqa: F401 - the app module needs it

    import ui as app

    runtime.settings.hf_token = "hf_never_in_browser"
    runtime.settings.doctor = f"tgi:{tgi.url()}"
    demo = app.build_app(runtime)
    config = str(demo.get_config_file())
    assert "hf_never_in_browser" not in config and "TGI" in config


def test_embedded_redis_starts_with_the_default_relative_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the app's default is CB_DATA_DIR=data, relative to where it is started
    srv = EmbeddedRedis(Path("data")).start()
    try:
        r = redis.Redis.from_url(srv.url)
        assert r.set("k", "v") and r.get("k") == b"v"
        r.close()
    finally:
        srv.stop()
    assert list((tmp_path / "data").glob("redis-*/redis.log"))  # the server wrote its log where we said


def test_the_embedded_redis_dies_with_its_process_and_is_reused_not_duplicated(tmp_path: Path) -> None:
    """Issue 13: the embedded redis-server was left running when the app stopped."""
    script = (
        "import sys, time; from pathlib import Path; from dialogue.store.redis_server import EmbeddedRedis; "
        f"s = EmbeddedRedis(Path({str(tmp_path)!r})).start(); print(s.port, flush=True); time.sleep(60)"
    )
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=Path.cwd())
    port = int(app.stdout.readline())  # type: ignore[union-attr]
    assert redis.Redis(port=port).ping()
    app.kill()  # SIGKILL: no atexit, no finally
    app.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port, socket_connect_timeout=0.2).ping()
            time.sleep(0.1)
        except redis.exceptions.ConnectionError:
            break
    else:
        raise AssertionError("redis-server outlived the process that started it")
    first = EmbeddedRedis(tmp_path).start()
    try:
        second = EmbeddedRedis(tmp_path).start()  # the same data folder: reuse the running server
        assert second.adopted and second.port == first.port and second.proc is None
    finally:
        first.stop()
