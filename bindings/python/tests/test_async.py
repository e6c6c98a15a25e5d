"""The awaitable forms: same results and errors as the synchronous ones, cancellation as
asyncio users expect it, and an event loop that keeps running while the work runs."""

import asyncio
import gc
import json
import os
import pathlib
import sys

import pytest

import toon

DOC = {
    "users": [{"id": i, "name": f"user {i}", "tags": ["a", "b"], "score": i / 3} for i in range(50)],
    "meta": {"title": "Ünïcode ✓", "nested": {"deep": [1, [2, [3]]]}},
}
# About 5 MB of mixed text: long enough to count that a blocked loop would show.
BIG_TEXT = (
    "The quick brown fox jumps over the lazy dog. 1234567 Ünïcode ✓ 東京 "
    + json.dumps(DOC)
    + "\n"
) * 2200


def run(coro):
    """Runs `coro` on a fresh loop, failing on anything the loop reports to its exception
    handler (a late `set_result` on a cancelled future, "Future exception was never
    retrieved", ...)."""
    reported = []

    async def main():
        asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: reported.append(ctx))
        try:
            return await coro
        finally:
            gc.collect()
            await asyncio.sleep(0)

    result = asyncio.run(main())
    assert reported == [], reported
    return result


def test_results_equal_the_sync_forms():
    text = toon.encode(DOC)
    counter = toon.TokenCounter(cache=False)
    texts = ["one", "two words", BIG_TEXT[:10_000], ""]

    async def main():
        return await asyncio.gather(
            toon.encode_async(DOC),
            toon.encode_async(DOC, delimiter="|", indent=4),
            toon.decode_async(text),
            toon.decode_async(text.encode()),
            toon.decode_async("n: 123456789012345678901234567890\nf: 1.5", strict=False),
            toon.count_tokens_async(BIG_TEXT[:100_000]),
            toon.count_tokens_async("Hello, world!", "cl100k_base"),
            counter.count_async(BIG_TEXT[:50_000]),
            counter.count_batch_async(texts),
            toon.convert_async('{"a": [1, 2]}', "json"),
            toon.convert_async(text, "toon", "md"),
            toon.convert_async(bytearray(b"# Title\n\nbody\n"), "md"),
        )

    assert run(main()) == [
        text,
        toon.encode(DOC, delimiter="|", indent=4),
        DOC,
        DOC,
        toon.decode("n: 123456789012345678901234567890\nf: 1.5", strict=False),
        toon.count_tokens(BIG_TEXT[:100_000]),
        toon.count_tokens("Hello, world!", "cl100k_base"),
        counter.count(BIG_TEXT[:50_000]),
        counter.count_batch(texts),
        toon.convert('{"a": [1, 2]}', "json"),
        toon.convert(text, "toon", "md"),
        toon.convert(bytearray(b"# Title\n\nbody\n"), "md"),
    ]


def test_convert_async_reads_paths(tmp_path: pathlib.Path):
    path = tmp_path / "doc.md"
    path.write_text("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert run(toon.convert_async(path)) == toon.convert(path)


def test_encode_async_of_a_large_document():
    doc = {"rows": [{"id": i, "text": f"row {i} ✓", "ok": i % 2 == 0} for i in range(20_000)]}
    text = run(toon.encode_async(doc))
    assert text == toon.encode(doc)
    assert run(toon.decode_async(text)) == doc


def test_they_are_coroutines_that_tasks_accept():
    async def main():
        coro = toon.count_tokens_async("abc")
        assert asyncio.iscoroutine(coro)
        task = asyncio.create_task(coro)
        return await task

    assert run(main()) == toon.count_tokens("abc")


@pytest.mark.skipif(sys.version_info < (3, 11), reason="TaskGroup is 3.11+")
def test_task_group():
    async def main():
        async with asyncio.TaskGroup() as group:
            a = group.create_task(toon.decode_async("a: 1"))
            b = group.create_task(toon.convert_async("a: 1", "toon", "json"))
        return a.result(), b.result()

    assert run(main()) == ({"a": 1}, '{"a":1}\n')


def test_nothing_starts_before_the_first_await():
    # Like an `async def`: made outside a loop, run by asyncio.run.
    assert asyncio.run(toon.count_tokens_async("abc")) == toon.count_tokens("abc")
    counter = toon.TokenCounter()
    coro = counter.count_async("never counted")
    assert coro.__qualname__ == "TokenCounter.count_async"
    coro.close()
    assert counter.cache_stats().misses == 0
    # Stepped by hand outside a loop, it fails as asyncio.get_running_loop() does.
    coro = toon.convert_async("a: 1", "toon", "json")
    with pytest.raises(RuntimeError, match="no running event loop"):
        coro.send(None)


def sync_error(call):
    with pytest.raises(Exception) as info:
        call()
    return info.value


def async_error(make):
    async def main():
        coro = make()
        with pytest.raises(Exception) as info:
            await coro
        return info.value

    return run(main())


def same_error(sync, asynchronous, attrs):
    expected = sync_error(sync)
    got = async_error(asynchronous)
    assert type(got) is type(expected)
    assert str(got) == str(expected)
    for attr in attrs:
        assert getattr(got, attr) == getattr(expected, attr), attr


def test_decode_errors_match():
    bad = "a:\n  b: 1\n   c: 2"
    same_error(
        lambda: toon.decode(bad),
        lambda: toon.decode_async(bad),
        ["line", "column", "snippet", "category"],
    )
    same_error(
        lambda: toon.decode(b"xs[3]: 1,2"),
        lambda: toon.decode_async(b"xs[3]: 1,2"),
        ["line", "column", "snippet", "category"],
    )


def test_convert_errors_match(tmp_path: pathlib.Path):
    attrs = ["line", "column", "snippet", "converter", "source", "target"]
    same_error(
        lambda: toon.convert('{"a": [1, }', "json"),
        lambda: toon.convert_async('{"a": [1, }', "json"),
        attrs,
    )
    same_error(
        lambda: toon.convert(b'{"a": x}', "json", "md"),
        lambda: toon.convert_async(b'{"a": x}', "json", "md"),
        attrs,
    )
    missing = tmp_path / "missing.md"
    same_error(
        lambda: toon.convert(missing),
        lambda: toon.convert_async(missing),
        ["errno", "filename"],
    )


def test_encode_errors_match():
    class Opaque:
        pass

    same_error(
        lambda: toon.encode({"a": [1, Opaque()]}),
        lambda: toon.encode_async({"a": [1, Opaque()]}),
        [],
    )

    def default(obj):
        raise KeyError("from default")

    same_error(
        lambda: toon.encode({"a": Opaque()}, default=default),
        lambda: toon.encode_async({"a": Opaque()}, default=default),
        [],
    )


def test_argument_errors_raise_at_the_call():
    async def main():
        with pytest.raises(ValueError, match="encoding"):
            toon.count_tokens_async("abc", "p50k")
        with pytest.raises(ValueError, match="unknown format"):
            toon.convert_async("x", "docx")
        with pytest.raises(ValueError, match="no converter"):
            toon.convert_async("x", "json", "pdf")
        with pytest.raises(TypeError):
            toon.convert_async(12, "json")
        with pytest.raises(TypeError):
            toon.decode_async(12)
        with pytest.raises(TypeError):
            toon.count_tokens_async(12)
        with pytest.raises(ValueError, match="indent"):
            toon.encode_async({}, indent=0)

    run(main())


def test_cancel_while_running_leaves_the_loop_working_and_quiet():
    counter = toon.TokenCounter()

    async def until(condition):
        # Bounded so a failure cannot hang the run; no time is asserted.
        for _ in range(120_000):
            if condition():
                return
            await asyncio.sleep(0.001)
        raise AssertionError("the condition never came")

    async def main():
        task = asyncio.create_task(counter.count_async(BIG_TEXT))
        # The count has started once its cache lookup missed; cancel it while it runs.
        await until(lambda: counter.cache_stats().misses == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert counter.cache_stats().entries == 0, "cancelled before it finished"
        # The loop works on, and other calls complete while the cancelled count runs.
        assert await toon.decode_async("a: 1") == {"a": 1}
        # The cancelled work ends (its count lands in the cache); its late result must be
        # dropped without an error (the `run` handler checks that).
        await until(lambda: counter.cache_stats().entries == 1)
        for _ in range(10):
            await asyncio.sleep(0)

    run(main())


def test_work_cancelled_before_it_starts_is_skipped():
    counter = toon.TokenCounter()
    # Far more jobs than worker threads, each long, each cancelled at once: those still
    # queued when their cancellation lands never run.
    jobs = 8 * (os.cpu_count() or 1) + 8
    texts = [f"{i} {BIG_TEXT[:400_000]}" for i in range(jobs)]

    async def main():
        tasks = [asyncio.ensure_future(counter.count_async(text)) for text in texts]
        await asyncio.sleep(0)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # Whatever had started finishes and reaches the cache; give it time.
        await toon.TokenCounter(cache=False).count_batch_async(texts[:2])
        await asyncio.sleep(0.05)
        return counter.cache_stats().misses

    assert run(main()) < jobs


def test_a_failed_job_nobody_awaits_any_more_is_quiet():
    async def main():
        task = asyncio.create_task(toon.decode_async("a:\n   b: 1"))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await toon.count_tokens_async(BIG_TEXT[:200_000])

    run(main())


async def ticks_during(make_work):
    """The turns a ticker coroutine gets while the work runs."""
    ticks = 0
    done = False

    async def ticker():
        nonlocal ticks
        while not done:
            ticks += 1
            await asyncio.sleep(0)

    tick_task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    start = ticks
    result = await make_work()
    during = ticks - start
    done = True
    await tick_task
    return during, result


def test_the_loop_keeps_running_while_a_long_count_runs():
    counter = toon.TokenCounter(cache=False)

    async def sync_count():
        return counter.count(BIG_TEXT)

    async def main():
        blocked, expected = await ticks_during(sync_count)
        free, got = await ticks_during(lambda: counter.count_async(BIG_TEXT))
        batch_free, counts = await ticks_during(
            lambda: counter.count_batch_async([BIG_TEXT[: len(BIG_TEXT) // 2]] * 2)
        )
        return blocked, free, batch_free, expected, got, counts

    blocked, free, batch_free, expected, got, counts = run(main())
    assert got == expected
    assert counts[0] == counts[1]
    # The synchronous count holds the loop (the ticker gets one turn at most, around
    # the call); while the awaitable one counts 5 MB, the ticker keeps turning.
    assert blocked <= 1
    assert free >= 50 and batch_free >= 50, (free, batch_free)


def test_the_loop_keeps_running_while_converting_and_decoding():
    text = toon.encode({"rows": [{"id": i, "name": f"n{i}", "v": i * 0.5} for i in range(60_000)]})

    async def main():
        converted, _ = await ticks_during(lambda: toon.convert_async(text, "toon", "json"))
        return converted

    assert run(main()) >= 20


@pytest.mark.skipif(os.environ.get("TOON_TIMING") != "1", reason="timing check: TOON_TIMING=1")
def test_timing_longest_loop_stall_during_20_counts():
    import time

    counter = toon.TokenCounter(cache=False)

    async def main():
        longest = 0.0
        stop = False

        async def monitor():
            nonlocal longest
            last = time.perf_counter()
            while not stop:
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                longest = max(longest, now - last - 0.001)
                last = now

        watch = asyncio.create_task(monitor())
        await asyncio.gather(*(counter.count_async(f"{i}{BIG_TEXT}") for i in range(20)))
        stop = True
        await watch
        return longest

    assert run(main()) < 0.05
