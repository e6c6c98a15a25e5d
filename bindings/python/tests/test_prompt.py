"""Writing for models from Python: encode_auto, encode_sections, fit_to_budget and
Template, each checked against what it claims (counts, budgets, decoded values)."""

import json

import pydantic
import pytest

import toon


def users(n):
    return {"users": [{"id": i, "name": f"User {i}", "email": f"u{i}@x.io"} for i in range(n)]}


def test_encode_auto_returns_the_cheapest_text_with_every_count():
    value = users(200)
    choice = toon.encode_auto(value, exact=True)
    renders = {
        "toon-comma": toon.encode(value),
        "toon-tab": toon.encode(value, delimiter="\t"),
        "toon-pipe": toon.encode(value, delimiter="|"),
        "json": json.dumps(value, separators=(",", ":"), ensure_ascii=False),
    }
    counts = {name: toon.count_tokens(text) for name, text in renders.items()}
    assert {c.format: c.tokens for c in choice.candidates} == counts
    assert all(c.exact for c in choice.candidates)
    best = min(counts, key=lambda name: (counts[name], list(counts).index(name)))
    assert (choice.format, choice.tokens, choice.text) == (best, counts[best], renders[best])
    assert str(choice) == (
        f"chosen: {best}, {counts[best]} tokens (toon-comma {counts['toon-comma']}, "
        f"toon-tab {counts['toon-tab']}, toon-pipe {counts['toon-pipe']}, json {counts['json']})"
    )
    fast = toon.encode_auto(value)
    assert (fast.format, fast.tokens) == (choice.format, choice.tokens)
    for candidate in fast.candidates:
        if not candidate.exact:
            assert fast.tokens < candidate.tokens <= counts[candidate.format]


def test_encode_auto_takes_model_names_and_picks_json_for_deep_data():
    deep = [[[[1]]], [[[2]]], {"x": [{"y": [1, {"z": [[3]]}]}]}]
    choice = toon.encode_auto(deep, encoding="llama-3.1-70b")
    assert choice.format == "json"
    assert choice.tokens == toon.count_tokens(choice.text, "llama3")
    with pytest.raises(ValueError, match="unknown encoding"):
        toon.encode_auto(deep, encoding="llama-2")
    with pytest.raises(ValueError, match="unknown format"):
        toon.encode_auto(deep, formats=["yaml"])


def test_encode_sections_chooses_per_section():
    chosen = toon.encode_sections({"table": users(50), "deep": [[[[1]]], [[[2]]]]})
    assert list(chosen) == ["table", "deep"]
    assert chosen["table"].format != "json"
    assert chosen["deep"].format == "json"


def test_fit_to_budget_fits_and_reports_cuts():
    value = users(1000)
    for budget in [100, 1000, 5000]:
        fitted = toon.fit_to_budget(value, budget)
        assert fitted.tokens == toon.count_tokens(fitted.text) <= budget
        kept = toon.decode(fitted.text)["users"]
        assert kept == value["users"][: len(kept)]
        (cut,) = fitted.cuts
        assert (cut.path, cut.rows, cut.kept) == ("users", 1000, len(kept))
        assert str(cut) == f"users: 1000 rows, {len(kept)} kept"
        assert f"# 1000 rows, first {len(kept)} shown" in fitted.text
    whole = toon.fit_to_budget(value, 10**6)
    assert whole.text == toon.encode(value) and whole.cuts == []


def test_a_budget_below_the_skeleton_raises_with_both_sizes():
    with pytest.raises(toon.ToonBudgetError) as caught:
        toon.fit_to_budget({"title": "a long title of many words", "rows": [1, 2]}, 2)
    assert caught.value.max_tokens == 2
    assert caught.value.skeleton_tokens > 2
    assert isinstance(caught.value, ValueError)


def test_fit_to_budget_refuses_unencodable_values_like_encode():
    with pytest.raises(TypeError, match="object"):
        toon.fit_to_budget({"a": object()}, 100)


class Order(pydantic.BaseModel):
    id: int
    customer: str
    total: float | None = None


class Orders(pydantic.BaseModel):
    orders: list[Order]


def test_template_from_a_pydantic_model():
    template = toon.Template(Orders)
    assert template.skeleton == "orders[N]{id,customer,total}:\n  <integer>,<string>,<number|null>"
    assert template.prompt.endswith("```toon\n" + template.skeleton + "\n```")
    assert template.instructions.startswith("Reply with TOON only")
    good = toon.decode("orders[2]{id,customer,total}:\n  1,Ada,9.5\n  2,Bo,null")
    assert template.check(good) == []
    Orders.model_validate(good)
    bad = toon.decode("orders[1]{id,customer,total}:\n  x,Ada,9.5")
    (violation,) = template.check(bad)
    assert (violation.path, violation.message) == ("orders[0].id", 'expected integer, found "x"')
    assert str(violation) == 'orders[0].id: expected integer, found "x"'


def test_template_from_a_schema_dict_with_a_tab_delimiter():
    schema = {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
    assert toon.Template(schema, delimiter="\t").skeleton == "tags[N\t]: <string>\t…"
    with pytest.raises(ValueError, match="does not point into the schema"):
        toon.Template({"$ref": "#/$defs/Nope"})
