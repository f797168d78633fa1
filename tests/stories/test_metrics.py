"""BCubed and pair counting on toy clusterings whose scores are worked out by hand."""

from __future__ import annotations

import pytest

from lagebild.stories.evaluate import score


def test_perfect_clustering_scores_one() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    s = score({"a": "1", "b": "1", "c": "2"}, gold)
    assert (s.bcubed_f1, s.pair_f1, s.clusters_pred, s.clusters_gold) == (1.0, 1.0, 2, 2)


def test_all_in_one_cluster() -> None:
    # gold {a,b} {c}; predicted {a,b,c}
    s = score({"a": "1", "b": "1", "c": "1"}, {"a": "x", "b": "x", "c": "y"})
    assert s.bcubed_p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    assert s.bcubed_r == pytest.approx(1.0)
    assert s.pair_p == pytest.approx(1 / 3)  # 1 right pair out of 3 predicted
    assert s.pair_r == pytest.approx(1.0)


def test_all_singletons_and_missing_items() -> None:
    # gold {a,b,c}; predicted singletons (c missing from the prediction -> alone)
    s = score({"a": "1", "b": "2"}, {"a": "x", "b": "x", "c": "x"})
    assert s.bcubed_p == 1.0
    assert s.bcubed_r == pytest.approx(1 / 3)
    assert s.pair_r == 0.0
    assert s.clusters_pred == 3 and s.articles == 3


def _gold(tmp_path, rows):  # type: ignore[no-untyped-def]
    import json

    from lagebild.stories.evaluate import read_gold

    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path, read_gold(path)


def test_errors_name_the_mixed_stories_split_events_and_same_actor_families(tmp_path) -> None:
    from lagebild.stories.evaluate import errors

    rows = [
        {"id": "a1", "text": "x", "event_id": "gdl_streik_10", "published": "2024-01-10"},
        {"id": "a2", "text": "x", "event_id": "gdl_streik_10", "published": "2024-01"},
        {"id": "b1", "text": "x", "event_id": "gdl_streik_24", "published": "2024-01"},
        {"id": "b2", "text": "x", "event_id": "gdl_streik_24"},
        {"id": "c1", "text": "x", "event_id": "trump_kim_hanoi", "published": "2019-02-28"},
        {"id": "c2", "text": "x", "event_id": "trump_kim_hanoi"},
        {"id": "d1", "text": "x", "event_id": "distractor_trump_kim_dmz", "published": "2019"},
    ]
    _, items = _gold(tmp_path, rows)
    # story 1 takes the 10th's reports and a month-dated and an undated one of the 24th;
    # Hanoi is split in two, the DMZ report is alone
    found = errors({"a1": "1", "a2": "1", "b1": "1", "b2": "1", "c1": "2", "c2": "3", "d1": "4"},
                   items)  # fmt: skip
    assert found["mixed"] == [{"story": "1", "event": "gdl_streik_10", "articles": 4,
                               "others": {"gdl_streik_24": {"articles": 2,
                                                            "dates": {"month": 1, "undated": 1}}}}]  # fmt: skip
    assert found["split"] == [{"event": "trump_kim_hanoi", "pieces": [1, 1]}]
    assert found["families"] == {"groups": 2, "kept_apart": 1, "mixed": ["gdl"]}
    # all apart and whole: nothing to report
    clean = errors({"a1": "1", "a2": "1", "b1": "5", "b2": "5", "c1": "2", "c2": "2", "d1": "4"},
                   items)  # fmt: skip
    assert clean == {
        "mixed": [],
        "split": [],
        "families": {"groups": 2, "kept_apart": 2, "mixed": []},
    }


def test_eval_stories_errors_flag_prints_and_returns_them(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from lagebild.cli import main

    texts = {
        "s": "Die Lokführergewerkschaft GDL streikt bei der Deutschen Bahn. Weselsky kündigte an, "
             "der Ausstand im Personenverkehr dauere bis Freitag.",
        "q": "Ein schweres Erdbeben hat die Küste Albaniens bei Durres erschüttert. Dutzende "
             "Menschen starben, Häuser stürzten ein.",
    }  # fmt: skip
    rows = [{"id": f"{k}{n}", "text": texts[k], "event_id": e, "published": "2024-01"}
            for k, e in (("s", "gdl_a"), ("q", "quake_b")) for n in (1, 2)]  # fmt: skip
    rows.append({"id": "s3", "text": texts["s"], "event_id": "gdl_b"})
    path, _ = _gold(tmp_path, rows)
    result = CliRunner().invoke(main, ["eval", "stories", str(path), "--errors", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output.strip().splitlines()[-1])["errors"]
    assert found["families"] == {"groups": 1, "kept_apart": 0, "mixed": ["gdl"]}
    assert [m["event"] for m in found["mixed"]] == ["gdl_a"]
    assert found["mixed"][0]["others"] == {"gdl_b": {"articles": 1, "dates": {"undated": 1}}}
    assert "same-actor families kept apart: 0 of 1 (mixed: gdl)" in result.output
    assert "1 of gdl_b (dated: undated 1)" in result.output


def test_eval_stories_scores_with_the_model_given(tmp_path) -> None:
    # --model clusters with another similarity model (cross-fitting: one trained on the
    # other half): a model that joins nothing leaves every article alone, the shipped one
    # puts the two reports of one strike together
    import json

    from click.testing import CliRunner

    from lagebild.cli import main
    from lagebild.stories import similarity

    text = ("Die Lokführergewerkschaft GDL streikt bei der Deutschen Bahn. Weselsky kündigte "
            "an, der Ausstand im Personenverkehr dauere bis Freitag.")  # fmt: skip
    rows = [{"id": f"s{n}", "text": text + f" Bericht {n}.", "event_id": "gdl",
             "published": "2024-01-10"} for n in (1, 2)]  # fmt: skip
    path, _ = _gold(tmp_path, rows)
    never = similarity.Model((0.0,) * len(similarity.FEATURES), -40.0)
    model = tmp_path / "never.json"
    model.write_text(json.dumps(similarity.Models(never, similarity.DEFAULT_CROSS).to_json()))

    def clusters(*extra: str) -> int:
        result = CliRunner().invoke(main, ["eval", "stories", str(path), "--json", *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.output.strip().splitlines()[-1])["clusters_pred"]

    assert clusters() == 1
    assert clusters("--model", str(model)) == 2
    model.write_text(json.dumps({"same": {"features": ["lex"], "weights": [1.0], "bias": 0}}))
    result = CliRunner().invoke(main, ["eval", "stories", str(path), "--model", str(model)])
    assert result.exit_code != 0 and "not a similarity model" in result.output
