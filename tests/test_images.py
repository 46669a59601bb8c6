"""A case image reaches an image-capable doctor as an image, and a text-only doctor as its description."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml
from PIL import Image

from dialogue.content.cases import load_cases
from dialogue.runtime import Runtime
from dialogue.testing.tgi_server import TGIServer

ROOT = Path(__file__).resolve().parent.parent


def image_case(tmp_path: Path, runtime: Runtime) -> str:
    img = tmp_path / "cases" / "lid.png"
    img.parent.mkdir(parents=True)
    Image.new("RGB", (32, 24), (200, 40, 40)).save(img)
    data = yaml.safe_load((ROOT / "personas/cases/stye/stye-01.yaml").read_text())
    data.update(id="stye-img", image="lid.png")
    (tmp_path / "cases" / "stye-img.yaml").write_text(yaml.safe_dump(data))
    cases, errors = load_cases(tmp_path / "cases", labels=runtime.library.labels)
    assert not errors and Path(cases["stye-img"].image or "").is_file()
    runtime.library = dataclasses.replace(runtime.library, cases={**runtime.library.cases, **cases})
    return "stye-img"


async def test_image_reaches_a_tgi_doctor_as_an_image(runtime: Runtime, tgi: TGIServer, tmp_path: Path) -> None:
    case_id = image_case(tmp_path, runtime)
    c = runtime.new_consultation(case_id, "phlegmatic", doctor=f"tgi:{tgi.url()}")
    [e async for e in c.run()]
    assert c.session.image_sent == "image"
    first = tgi.requests[0]["body"]["messages"][1]
    parts = {p["type"]: p for p in first["content"]}
    assert parts["image_url"]["image_url"]["url"].startswith("data:image/png;base64,")
    assert parts["text"]["text"] == c.turns[0].text
    later = tgi.requests[1]["body"]["messages"]
    assert sum(isinstance(m["content"], list) for m in later) == 1  # sent once, with the first message


async def test_text_only_doctor_gets_the_description(runtime: Runtime, tmp_path: Path) -> None:
    case_id = image_case(tmp_path, runtime)
    c = runtime.new_consultation(case_id, "phlegmatic", doctor="scripted:Hello?|FINAL DIAGNOSIS: stye")
    assert c.session.image_sent == "description"
    [e async for e in c.run()]
    msgs = c.doctor.messages(c.turns)  # type: ignore[union-attr]
    assert "[Photo attached by the patient:" in msgs[1]["content"]
