"""Content files: validation errors name the file and the field; the library is consistent."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialogue.content.cases import ContentError, check, load_cases, load_library, load_model
from dialogue.content.labels import LabelSet
from dialogue.schema import Case

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "personas" / "cases" / "stye" / "stye-01.yaml"


def write_case(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(EXAMPLE.read_text())
    mutate(data)
    p = tmp_path / "cases" / f"{data.get('id', 'x')}.yaml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(yaml.safe_dump(data))
    return p


def test_missing_field_names_file_and_field(tmp_path: Path) -> None:
    p = write_case(tmp_path, lambda d: d.pop("general_complaint"))
    with pytest.raises(ContentError) as e:
        load_model(p, Case)
    assert str(p) in str(e.value) and "general_complaint" in str(e.value)


def test_unknown_field_and_bad_type_are_named(tmp_path: Path) -> None:
    p = write_case(tmp_path, lambda d: d.update(diagnosiss="x"))
    with pytest.raises(ContentError, match="diagnosiss"):
        load_model(p, Case)
    p = write_case(tmp_path, lambda d: d["demographics"].update(age="old"))
    with pytest.raises(ContentError, match=r"demographics\.age"):
        load_model(p, Case)


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "cases" / "bad.yaml"
    p.parent.mkdir()
    p.write_text("id: bad\nfacts: [unclosed\n")
    with pytest.raises(ContentError, match="not valid YAML"):
        load_cases(p.parent)


def test_unknown_label_is_refused_or_skipped(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    write_case(tmp_path, lambda d: d.update(id="stye-01"))
    write_case(tmp_path, lambda d: d.update(id="odd", diagnosis="gout"))
    with pytest.raises(ContentError, match="diagnosis: 'gout' is not a known label"):
        load_cases(tmp_path / "cases", labels=library.labels)
    cases, errors = load_cases(tmp_path / "cases", labels=library.labels, skip_bad=True)
    assert list(cases) == ["stye-01"] and len(errors) == 1 and "odd.yaml" in errors[0]


def test_library_loads_and_check_is_clean() -> None:
    lib = load_library()
    assert len(lib.personas) == 4 and len(lib.labels.labels) == 34
    rep = check(min_per_label=4)
    assert rep.problems == [], "\n".join(rep.problems)
    assert rep.n_cases >= 136 and all(n >= 4 for n in rep.per_label.values())
    assert rep.per_split.get("heldout", 0) >= 0.2 * rep.n_cases


def test_check_finds_a_leaky_case(tmp_path: Path) -> None:
    write_case(tmp_path, lambda d: d.update(general_complaint="I think I have a stye on my eyelid."))
    rep = check(tmp_path / "cases")
    assert any("names its diagnosis term 'stye'" in p for p in rep.problems)


def test_check_allows_another_labels_word(tmp_path: Path) -> None:
    """Only the case's own label is banned: a stye patient may say they once had conjunctivitis."""
    write_case(tmp_path, lambda d: d.update(general_complaint="I had conjunctivitis last year; now my eyelid hurts."))
    rep = check(tmp_path / "cases")
    assert not any("diagnosis term" in p for p in rep.problems), rep.problems


def test_check_finds_near_duplicates(tmp_path: Path) -> None:
    write_case(tmp_path, lambda d: None)
    write_case(tmp_path, lambda d: d.update(id="stye-99"))
    rep = check(tmp_path / "cases")
    assert any("near-duplicate" in p for p in rep.problems)


def test_normalize_maps_synonyms_and_keeps_outsiders() -> None:
    lib = load_library()
    labels: LabelSet = lib.labels
    assert labels.normalize("Urticaria") == "hives"
    assert labels.normalize("an external hordeolum.") == "stye"
    assert labels.normalize("Allergic contact dermatitis") == "allergic contact dermatitis"
    assert labels.normalize("irritant contact dermatitis") == "contact dermatitis"
    assert labels.normalize("tinea versicolor") == "mycosis"
    assert labels.normalize("none") is None
    assert labels.normalize("Gout") == "gout"  # outside the set: kept as said, counts as a miss
    assert labels.normalize_all("herpes zoster or chickenpox") == ["shingles", "chickenpox"]


def test_cases_beyond_the_labels_say_so_and_credit_the_referral() -> None:
    """A benign label with a present cancer red flag: the case says what must be done, and a critical action
    (the referral) is what earns the points."""
    lib = load_library()
    for case_id in ["chalazion-04", "seborrheic-keratosis-03", "lichen-planus-04"]:
        case = lib.cases[case_id]
        assert case.beyond_labels, case_id
        assert any(f.present for f in case.red_flags), case_id
        critical = [a for a in case.actions if a.critical]
        assert critical and any("refer" in a.description.lower() for a in critical), case_id


def test_every_case_has_actions_harms_story_and_ice() -> None:
    lib = load_library()
    for case in lib.cases.values():
        cats = {f.category for f in case.facts}
        assert {"ideas", "concerns", "expectations"} <= cats, case.id
        assert case.narrative and len(case.actions) >= 2 and len(case.harms) >= 2, case.id
        assert all(h.points < 0 for h in case.harms) and all(a.source for a in case.actions), case.id


def test_every_contraindication_names_a_label_or_an_age_and_known_drug_classes(library) -> None:  # type: ignore[no-untyped-def]
    from dialogue.scoring.acts import DRUG_CLASSES
    from dialogue.scoring.safety import load_contraindications

    rules = load_contraindications().rules
    assert rules
    labels = set(library.labels.labels)
    for r in rules:
        assert r.label in labels if r.label is not None else r.under_age is not None, r
        assert set(r.classes) | set(r.unless_with) <= set(DRUG_CLASSES), r
        assert r.source and r.why, r


def test_every_fact_and_negative_has_questions_it_answers() -> None:
    """Each fact carries the doctor questions a case author wrote for it (the fact matcher's anchors)."""
    lib = load_library()
    for case in lib.cases.values():
        for item in [*case.facts, *case.pertinent_negatives]:
            assert len(item.asked) >= 2, f"{case.id}: {item.id}"


def test_check_refuses_a_fact_question_naming_the_diagnosis_or_asking_nothing(tmp_path: Path) -> None:
    def ask(d: dict) -> None:
        d["facts"][0]["asked"] = ["Is this a stye, do you think?", "When did it start"]

    write_case(tmp_path, ask)
    rep = check(tmp_path / "cases")
    assert any("asked: names its diagnosis term 'stye'" in p for p in rep.problems), rep.problems
    assert any("asked: not a question: 'When did it start'" in p for p in rep.problems), rep.problems
