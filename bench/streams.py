#!/usr/bin/env python3
"""Holds N live activity streams open against the service, as N CRM lead pages would, until SIGTERM.

    python3 bench/streams.py --base-url http://127.0.0.1:8080 --token JWT --leads leads.csv --count 200 [--out FILE]

Opens GET /api/leads/{id}/activities/stream for the first N leads of the corpus (the leads its calls
name, so the benchmark's callbacks produce events on them), with the bearer token, and reads every stream
to its end. On SIGTERM (or SIGINT) it writes one line of key=value figures: streams opened, refused
(status other than 200), ended by the server early, events and heartbeats received.
"""
import argparse
import asyncio
import csv
import signal
import sys
from urllib.parse import urlsplit

stats = {"streams_opened": 0, "streams_refused": 0, "streams_ended_early": 0, "events": 0, "heartbeats": 0}


async def watch(host, port, lead, token):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        stats["streams_refused"] += 1
        return
    writer.write((f"GET /api/leads/{lead}/activities/stream HTTP/1.1\r\nHost: {host}:{port}\r\n"
                  f"Accept: text/event-stream\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
    await writer.drain()
    status = (await reader.readline()).split(b" ")
    if len(status) < 2 or status[1] != b"200":
        stats["streams_refused"] += 1
        writer.close()
        return
    stats["streams_opened"] += 1
    # Chunked transfer encoding: chunk sizes are lines of hex digits; the event lines are what counts here.
    while True:
        line = await reader.readline()
        if not line:
            stats["streams_ended_early"] += 1
            return
        if line.startswith(b"id:"):
            stats["events"] += 1
        elif line.startswith(b":"):
            stats["heartbeats"] += 1


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--leads", required=True, help="the corpus' leads.csv (first column: lead id)")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    url = urlsplit(args.base_url)
    with open(args.leads, newline="") as f:
        leads = [row[0] for row in csv.reader(f)][:args.count]
    if len(leads) < args.count:
        sys.exit(f"the corpus has {len(leads)} leads, fewer than {args.count}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(watch(url.hostname, url.port or 80, lead, args.token)) for lead in leads]
    await stop.wait()
    for task in tasks:
        task.cancel()
    line = " ".join(f"{k}={v}" for k, v in stats.items())
    if args.out == "-":
        print(line)
    else:
        with open(args.out, "w") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    asyncio.run(main())
