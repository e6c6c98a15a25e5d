"""Token counting: exact counts, the TokenCounter cache statistics, savings, threads, fork."""

import json
import os
import sys
import threading
import time

import pytest

import toon
from conftest import passes_in_forked_child

# (text, o200k_base count, cl100k_base count). The counts are tiktoken's
# len(encode_ordinary(text)), computed with tiktoken-rs 0.12.1 (tiktoken's Rust core).
KNOWN = [
    ("Hello, world!", 4, 4),
    ('{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}', 21, 20),
    ("users[2]{id,name}:\n  1,Ada\n  2,Bo", 19, 19),
    (
        "Token-Oriented Object Notation is a compact, human-readable encoding of the JSON data model.",
        19,
        20,
    ),
    ("日本語のテキストと絵文字 🎉🚀 naïve café", 17, 21),
    ("  leading spaces\n\n\ttabs and newlines   ", 10, 10),
    ("<|endoftext|> is ordinary text here", 11, 11),
    ("def count(x):\n    return sum(1 for _ in x)  # 12345678901234\n", 23, 23),
    ("", 0, 0),
]


@pytest.mark.parametrize("text,o200k,cl100k", KNOWN, ids=range(len(KNOWN)))
def test_counts_are_tiktokens(text, o200k, cl100k):
    assert toon.count_tokens(text) == o200k
    assert toon.count_tokens(text, "o200k_base") == o200k
    assert toon.count_tokens(text, encoding="cl100k_base") == cl100k
    assert toon.TokenCounter().count(text) == o200k
    assert toon.TokenCounter("cl100k_base", cache=False).count(text) == cl100k
    assert len(toon.TokenCounter().encode(text)) == o200k


def test_token_ids_are_tiktokens():
    # tiktoken: o200k_base.encode_ordinary("Hello, world!") == [13225, 11, 2375, 0]
    assert toon.TokenCounter().encode("Hello, world!") == [13225, 11, 2375, 0]


def test_bad_encoding_names_are_value_errors():
    with pytest.raises(ValueError, match="unknown encoding `p50k_base`"):
        toon.count_tokens("x", "p50k_base")
    with pytest.raises(ValueError):
        toon.TokenCounter("gpt2")
    with pytest.raises(ValueError):
        toon.savings("{}", "", encoding="nope")
    with pytest.raises(TypeError):
        toon.count_tokens(b"bytes are not text")
    # The short names are accepted too.
    assert toon.TokenCounter("cl100k").encoding == "cl100k_base"


def test_cache_statistics_move_as_expected():
    counter = toon.TokenCounter()
    stats = counter.cache_stats()
    assert (stats.hits, stats.misses, stats.evictions, stats.entries, stats.bytes) == (0, 0, 0, 0, 0)
    assert stats.hit_rate == 0.0
    assert counter.count("Hello, world!") == 4
    stats = counter.cache_stats()
    assert (stats.hits, stats.misses, stats.entries) == (0, 1, 1)
    assert stats.bytes == 128  # one entry, charged CacheConfig::ENTRY_BYTES
    assert counter.count("Hello, world!") == 4
    assert counter.count("Hello, world!") == 4
    stats = counter.cache_stats()
    assert (stats.hits, stats.misses, stats.entries) == (2, 1, 1)
    assert stats.hit_rate == pytest.approx(2 / 3)
    assert "2 hits, 1 misses" in str(stats)
    assert stats == counter.cache_stats()  # a snapshot compares by value
    counter.clear_cache()
    assert counter.cache_stats().entries == 0
    assert counter.cache_stats().hits == 2  # counters keep counting across clear_cache


def test_a_small_cache_evicts_and_stays_within_bounds():
    counter = toon.TokenCounter(max_entries=64)
    texts = [f"text number {i}" for i in range(2000)]
    for text in texts:
        counter.count(text)
    stats = counter.cache_stats()
    assert stats.max_entries == 64
    assert stats.misses == 2000
    assert stats.evictions > 0
    assert stats.entries <= 64
    assert stats.entries + stats.evictions == 2000


def test_counter_without_cache_has_no_stats():
    counter = toon.TokenCounter(cache=False)
    assert counter.count("Hello, world!") == 4
    assert counter.cache_stats() is None
    with pytest.raises(ValueError):
        toon.TokenCounter(cache=False, max_entries=10)
    assert repr(counter) == "TokenCounter(encoding='o200k_base', cache=False)"


def test_count_batch_matches_single_counts_in_order():
    texts = [text for text, _, _ in KNOWN] * 50
    counter = toon.TokenCounter()
    assert counter.count_batch(texts) == [o200k for _, o200k, _ in KNOWN] * 50
    stats = counter.cache_stats()
    assert stats.hits + stats.misses == len(texts)
    assert stats.entries == len(KNOWN)
    assert counter.count_batch([]) == []
    with pytest.raises(TypeError):
        counter.count_batch("a string is not a list of texts")
    with pytest.raises(TypeError):
        counter.count_batch(["ok", 3])


def test_savings_of_texts():
    json_text, toon_text = KNOWN[1][0], KNOWN[2][0]
    result = toon.savings(json_text, toon_text)
    assert (result.json_tokens, result.toon_tokens) == (21, 19)
    assert (result.json_bytes, result.toon_bytes) == (len(json_text), len(toon_text))
    assert result.saved_tokens == 2
    assert result.saved_percent == pytest.approx(200 / 21)
    assert result.saved_bytes == len(json_text) - len(toon_text)
    assert result.encoding == "o200k_base"
    assert str(result) == "Token counts (o200k_base): 21 (JSON) → 19 (TOON), saved 2 tokens (-9.5%)"
    assert result == toon.TokenCounter().savings(json_text, toon_text)
    # JSON text alone: the TOON side is its conversion; bytes are taken as UTF-8 JSON.
    assert toon.savings(json_text) == result
    assert toon.savings(json_text.encode()) == result
    with pytest.raises(ValueError, match="invalid JSON at 1:2"):
        toon.savings("{oops")


def test_savings_of_objects_compare_compact_json_with_toon():
    data = {"users": [{"id": i, "name": f"user {i}", "active": i % 2 == 0} for i in range(30)]}
    result = toon.savings(data)
    compact = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    assert result == toon.savings(compact, toon.encode(data))
    assert result.json_tokens == toon.count_tokens(compact)
    assert result.toon_tokens == toon.count_tokens(toon.encode(data))
    assert result.saved_percent > 30
    cl100k = toon.savings(data, encoding="cl100k_base")
    assert cl100k.encoding == "cl100k_base"
    assert cl100k.json_tokens == toon.count_tokens(compact, "cl100k_base")
    # TOON costing more shows as negative savings.
    worse = toon.savings("[1]", "this TOON text is far longer than its JSON")
    assert worse.saved_tokens < 0
    assert "TOON costs" in str(worse)
    with pytest.raises(TypeError, match="object"):
        toon.savings({"x": object()})


def test_threads_count_in_parallel_with_equal_results():
    counter = toon.TokenCounter()
    texts = [f"row {i}: " + "lorem ipsum dolor " * (i % 7) for i in range(500)]
    expected = [toon.TokenCounter(cache=False).count(t) for t in texts]
    results = [None] * 8

    def work(slot):
        results[slot] = [counter.count(t) for t in texts] + counter.count_batch(texts)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected + expected for r in results)


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX-only")
def test_count_batch_in_a_child_forked_after_the_parent_used_its_pool():
    texts = [f"text {i}" for i in range(200)]
    expected = toon.TokenCounter().count_batch(texts)  # starts the parallel pool here
    passes_in_forked_child(lambda: toon.TokenCounter().count_batch(texts) == expected, "count_batch")
