"""The longest event-loop stall of a FastAPI service under uvicorn while 20 concurrent
requests each convert a 40-page PDF or count 5 MB of text, for three ways of calling the
work from an endpoint:

- ``sync``: an ``async def`` endpoint calling ``toon.convert`` / ``TokenCounter.count``
  (the call releases the interpreter, but the loop's thread waits in it);
- ``thread``: a plain ``def`` endpoint, which FastAPI runs on its thread pool;
- ``async``: an ``async def`` endpoint awaiting ``toon.convert_async`` /
  ``TokenCounter.count_async``.

The server runs in a child process on 127.0.0.1; a monitor coroutine in it sleeps 1 ms at a
time and records how late it wakes. This is a bench, not a test: nothing is asserted.

    python bindings/python/bench/stall.py [--requests 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time

PAGES = 40
LINES = 40
TEXT_MB = 5


def pdf_bytes(pages: int = PAGES, lines: int = LINES) -> bytes:
    """A text PDF of `pages` pages with `lines` numbered lines each (what
    `pdf_to_toon::fixtures::numbered_pdf` builds), written by hand: no PDF package needed."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids).encode()
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for p in range(1, pages + 1):
        ops = ["BT", "/F1 10 Tf", "14 TL", "40 780 Td"]
        for n in range(1, lines + 1):
            ops.append(f"(Page {p}, line {n}: the quick brown fox jumps over the lazy dog) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode()
        content_id = len(objects) + 2
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents "
            + str(content_id).encode()
            + b" 0 R >>"
        )
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text(mb: int = TEXT_MB) -> str:
    line = "The quick brown fox jumps over the lazy dog; Ünïcode ✓ 東京 12345 {\"id\": 7}\n"
    return line * (mb * 1_000_000 // len(line.encode()))


def app():
    """The service: one endpoint per workload and way of calling, and the stall monitor."""
    from fastapi import FastAPI

    import toon

    pdf = pdf_bytes()
    body = text()
    # No cache: every request really counts (a cached count would be a lookup).
    counter = toon.TokenCounter(cache=False)
    monitor = {"longest": 0.0, "samples": []}

    async def watch():
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            lag = now - last - 0.001
            monitor["longest"] = max(monitor["longest"], lag)
            monitor["samples"].append(lag)
            last = now

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        task = asyncio.create_task(watch())
        yield
        task.cancel()

    service = FastAPI(lifespan=lifespan)

    @service.post("/reset")
    async def reset():
        monitor["longest"] = 0.0
        monitor["samples"] = []
        return {}

    @service.get("/stall")
    async def stall():
        samples = sorted(monitor["samples"])
        p99 = samples[int(len(samples) * 0.99)] if samples else 0.0
        return {"longest_ms": monitor["longest"] * 1e3, "p99_ms": p99 * 1e3, "samples": len(samples)}

    @service.get("/pdf/sync")
    async def pdf_sync():
        return {"chars": len(toon.convert(pdf, "pdf"))}

    @service.get("/pdf/thread")
    def pdf_thread():
        return {"chars": len(toon.convert(pdf, "pdf"))}

    @service.get("/pdf/async")
    async def pdf_async():
        return {"chars": len(await toon.convert_async(pdf, "pdf"))}

    @service.get("/count/sync")
    async def count_sync():
        return {"tokens": counter.count(body)}

    @service.get("/count/thread")
    def count_thread():
        return {"tokens": counter.count(body)}

    @service.get("/count/async")
    async def count_async():
        return {"tokens": await counter.count_async(body)}

    return service


def serve(port: int) -> None:
    import uvicorn

    uvicorn.run(app(), host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def measure(port: int, requests: int, rounds: int) -> list[tuple[str, str, float, float, float]]:
    import httpx

    rows = []
    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=requests)
    async with httpx.AsyncClient(base_url=base, timeout=600, limits=limits) as client:
        for _ in range(50):
            try:
                await client.get("/stall")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        for work in ("pdf", "count"):
            await client.get(f"/{work}/async")  # warm up (registry, tables, pool)
            for mode in ("sync", "thread", "async"):
                longest, p99, walls = [], [], []
                for _ in range(rounds):
                    await client.post("/reset")
                    start = time.perf_counter()
                    answers = await asyncio.gather(*(client.get(f"/{work}/{mode}") for _ in range(requests)))
                    walls.append(time.perf_counter() - start)
                    assert all(a.status_code == 200 for a in answers)
                    stall = (await client.get("/stall")).json()
                    longest.append(stall["longest_ms"])
                    p99.append(stall["p99_ms"])
                rows.append((work, mode, statistics.median(longest), statistics.median(p99), statistics.median(walls)))
                print(
                    f"{work:5} {mode:6}  longest stall {rows[-1][2]:8.1f} ms (rounds: "
                    + ", ".join(f"{x:.1f}" for x in longest)
                    + f")  p99 lag {rows[-1][3]:6.2f} ms  20 requests in {rows[-1][4]:.2f} s",
                    flush=True,
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    import toon

    pdf = pdf_bytes()
    print(
        f"PDF: {PAGES} pages, {len(pdf) // 1024} KiB, {len(toon.convert(pdf, 'pdf')) // 1024} KiB of TOON; "
        f"text: {len(text().encode()) / 1e6:.1f} MB; {args.requests} concurrent requests, median of "
        f"{args.rounds} rounds; {os.cpu_count()} cores",
        flush=True,
    )
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)])
    try:
        asyncio.run(measure(port, args.requests, args.rounds))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
