#!/usr/bin/env python3
"""Writes the benchmark corpus: many distinct browser calls, every request signed as Twilio signs it.

Each call is the voice webhook, the dialed leg's status callbacks (SequenceNumber 0..3, RFC 2822
Timestamp, CallDuration on the terminal one), the <Dial action> (DialCallStatus), the recording
callback (answered calls only: record-from-answer) and the parent leg's status callback. Calls are laid
on a simulated timeline (a new call every --gap seconds, realistic ring and talk times, per-callback
delivery jitter, a few late deliveries) and the requests are written in timeline order, so calls
overlap and a call's callbacks are sometimes delivered out of order, as Twilio does.

Output (in --out):
  corpus.<t>.req   requests for wrk thread t: "<byte length>\\n<raw HTTP/1.1 request>" repeated
  expected.<t>.tsv one line per call: position of its last request in corpus.<t>.req, parent sid,
                   dialed sid, lead id or '-', expected final status, duration, recording sid or '-'
  leads.csv        the leads the voice webhooks name (COPY leads (id, first_name, last_name, status, phone))
  summary.json     counts

Standard library only. Deterministic for a given --seed.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import urllib.parse
import uuid
from email.utils import formatdate

VOICE_PATH = "/api/webhooks/twilio/voice-client"
WEBHOOK_PATH = "/api/calling/webhook"
RECORDING_PATH = "/api/calling/recording"

# (outcome, weight): what happens to the dialed leg.
OUTCOMES = [("completed", 70), ("no-answer", 15), ("busy", 8), ("canceled", 4), ("failed", 3)]

CITIES = [("SAN FRANCISCO", "CA", "94105"), ("NEW YORK", "NY", "10001"), ("AUSTIN", "TX", "73301"),
          ("CHICAGO", "IL", "60601"), ("SEATTLE", "WA", "98101"), ("", "", "")]
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Leslie"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Lamport"]


def sign(token, url, params):
    data = url + "".join(k + v for k, v in sorted(params.items()))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def rfc2822(t):
    return formatdate(t, usegmt=False).replace("-0000", "+0000")


class Corpus:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.account = "AC" + self.hex32()
        self.application = "AP" + self.hex32()
        self.host = urllib.parse.urlsplit(args.base_url).netloc

    def hex32(self):
        return "%032x" % self.rng.getrandbits(128)

    def phone(self):
        return "+1555%07d" % self.rng.randrange(10_000_000)

    def request(self, path, params):
        body = urllib.parse.urlencode(params).encode()
        signature = sign(self.args.token, self.args.base_url + path, params)
        head = ("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                "X-Twilio-Signature: %s\r\nContent-Length: %d\r\n\r\n" % (path, self.host, signature, len(body)))
        return head.encode() + body

    def geo(self, prefix, number):
        city, state, zip_ = self.rng.choice(CITIES)
        return {prefix: number, prefix + "City": city, prefix + "State": state, prefix + "Zip": zip_,
                prefix + "Country": "US"}

    def call(self, start, lead):
        """The requests of one call as (time, path, params), plus what the call must end as."""
        rng = self.rng
        parent, child, recording = "CA" + self.hex32(), "CA" + self.hex32(), "RE" + self.hex32()
        agent = "client:agent-%d" % rng.randrange(1, 51)
        to = lead[1] if lead else self.phone()
        outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
        common = {"AccountSid": self.account, "ApiVersion": "2010-04-01"}
        events = []

        voice = dict(common, ApplicationSid=self.application, CallSid=parent, CallStatus="ringing", Called="",
                     Caller=agent, Direction="inbound", From=agent, To=to)
        if lead:
            voice["LeadId"] = lead[0]
        events.append((start, VOICE_PATH, voice))

        def dialed(status, seq, at, duration=None):
            p = dict(common, CallSid=child, ParentCallSid=parent, CallStatus=status, SequenceNumber=str(seq),
                     Timestamp=rfc2822(at), CallbackSource="call-progress-events", Direction="outbound-dial",
                     **self.geo("Called", to), **self.geo("To", to), **self.geo("Caller", "+15005550006"),
                     **self.geo("From", "+15005550006"))
            if duration is not None:
                p["CallDuration"] = str(duration)
                p["Duration"] = str((duration + 59) // 60)
                p["SipResponseCode"] = {"completed": "200", "busy": "486", "no-answer": "487",
                                        "canceled": "487", "failed": "500"}[status]
            events.append((at, WEBHOOK_PATH, p))

        initiated = start + rng.uniform(0.4, 1.0)   # Twilio dials after it has the TwiML
        dialed("initiated", 0, initiated)
        talk = 0
        if outcome == "failed":
            end = initiated + rng.uniform(0.2, 2.0)
            dialed("failed", 1, end, 0)
        else:
            ringing = initiated + rng.uniform(0.3, 1.5)
            dialed("ringing", 1, ringing)
            if outcome == "completed":
                answered = ringing + rng.uniform(2, 20)
                dialed("in-progress", 2, answered)
                talk = max(1, min(3600, int(rng.lognormvariate(4.0, 1.0))))
                end = answered + talk
                dialed("completed", 3, end, talk)
            else:
                end = ringing + {"no-answer": rng.uniform(20, 30), "busy": rng.uniform(1, 5),
                                 "canceled": rng.uniform(2, 15)}[outcome]
                dialed(outcome, 2, end, 0)

        action = dict(common, ApplicationSid=self.application, CallSid=parent, CallStatus="in-progress", Called="",
                      Caller=agent, Direction="inbound", From=agent, To=to, DialCallSid=child, DialCallStatus=outcome,
                      DialCallDuration=str(talk), DialBridged="true" if outcome == "completed" else "false")
        events.append((end + rng.uniform(0.0, 0.5), WEBHOOK_PATH, action))
        if outcome == "completed":
            rec = dict(AccountSid=self.account, CallSid=parent, RecordingSid=recording,
                       RecordingUrl="https://api.twilio.com/2010-04-01/Accounts/%s/Recordings/%s" % (self.account, recording),
                       RecordingStatus="completed", RecordingDuration=str(max(0, talk - 1)), RecordingChannels="1",
                       RecordingSource="DialVerb", RecordingStartTime=rfc2822(end - talk), ErrorCode="0")
            events.append((end + rng.uniform(1.0, 5.0), RECORDING_PATH, rec))
        parent_end = end + rng.uniform(0.2, 1.5)
        events.append((parent_end + 0.05, WEBHOOK_PATH,
                       dict(common, ApplicationSid=self.application, CallSid=parent, CallStatus="completed",
                            CallDuration=str(int(parent_end - start)), Timestamp=rfc2822(parent_end),
                            CallbackSource="call-progress-events", Called="", Caller=agent, Direction="inbound",
                            From=agent, To=to)))

        # Delivery: callbacks travel independently, so add jitter and now and then a late one.
        delivered = [events[0]]
        for at, path, params in events[1:]:
            delay = rng.uniform(0, 0.3) + (rng.uniform(0.5, 4.0) if rng.random() < self.args.late else 0)
            delivered.append((at + delay, path, params))
        expected = (parent, child, lead[0] if lead else "-", outcome, talk if outcome == "completed" else 0,
                    recording if outcome == "completed" else "-")
        return delivered, expected


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--calls", type=int, default=40000)
    ap.add_argument("--threads", type=int, default=2, help="one corpus file per wrk thread")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--token", default="bench-token")
    ap.add_argument("--base-url", default="http://127.0.0.1:8080", help="CALLING_PUBLIC_BASE_URL of the service")
    ap.add_argument("--lead-fraction", type=float, default=0.9, help="calls whose voice webhook names a LeadId")
    ap.add_argument("--calls-per-lead", type=float, default=2.0)
    ap.add_argument("--gap", type=float, default=0.05, help="simulated seconds between two call starts")
    ap.add_argument("--late", type=float, default=0.05, help="share of callbacks delivered 0.5-4 s late")
    ap.add_argument("--start", type=float, default=1767225600.0, help="simulated time of the first call (epoch s)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    c = Corpus(args)

    n_leads = max(1, int(args.calls * args.lead_fraction / args.calls_per_lead))
    leads = []
    for i in range(n_leads):
        digits = "%07d" % c.rng.randrange(10_000_000)
        to = "+1555" + digits
        # A tenth of the CRM's numbers are stored with punctuation; the service ignores it when comparing.
        stored = "+1 (555) %s-%s" % (digits[:3], digits[3:]) if i % 10 == 0 else to
        # md5('lead-<i>')::uuid: the same ids in every corpus (pgbench names its own, md5('pgbench-lead-<n>')).
        leads.append((str(uuid.UUID(hashlib.md5(b"lead-%d" % i).hexdigest())), to, stored))
    with open(os.path.join(args.out, "leads.csv"), "w") as f:
        for i, (lead_id, _, stored) in enumerate(leads):
            f.write("%s,%s,%s,new,%s\n" % (lead_id, FIRST[i % len(FIRST)], LAST[i // len(FIRST) % len(LAST)], stored))

    # Calls alternate between the threads' streams; each stream is in delivery-time order.
    streams = [[] for _ in range(args.threads)]
    for i in range(args.calls):
        lead = c.rng.choice(leads) if c.rng.random() < args.lead_fraction else None
        events, expected = c.call(args.start + i * args.gap, (lead[0], lead[1]) if lead else None)
        streams[i % args.threads].append((events, expected))

    samples = {}
    summary = {"calls": args.calls, "leads": n_leads, "seed": args.seed, "threads": args.threads,
               "base_url": args.base_url, "requests": 0, "bytes": 0, "per_thread": [], "by_path": {},
               "outcomes": {}}
    for t, calls in enumerate(streams):
        timeline = []
        for ci, (events, _) in enumerate(calls):
            for ei, (at, path, params) in enumerate(events):
                timeline.append((at, ci, ei, path, params))
        timeline.sort(key=lambda e: (e[0], e[1], e[2]))
        last = [0] * len(calls)
        size = 0
        with open(os.path.join(args.out, "corpus.%d.req" % t), "wb") as f:
            for pos, (_, ci, _, path, params) in enumerate(timeline):
                raw = c.request(path, params)
                f.write(b"%d\n" % len(raw))
                f.write(raw)
                size += len(raw)
                last[ci] = pos
                summary["by_path"][path] = summary["by_path"].get(path, 0) + 1
                kind = "voice" if path == VOICE_PATH else "callback" if "ParentCallSid" in params else None
                if kind and kind not in samples:
                    samples[kind] = params
        with open(os.path.join(args.out, "expected.%d.tsv" % t), "w") as f:
            for ci, (_, expected) in enumerate(calls):
                f.write("%d\t%s\n" % (last[ci], "\t".join(str(x) for x in expected)))
                summary["outcomes"][expected[3]] = summary["outcomes"].get(expected[3], 0) + 1
        summary["per_thread"].append(len(timeline))
        summary["requests"] += len(timeline)
        summary["bytes"] += size
    # Typical request parameters (as the service stores them in call_events.params), for pgbench.
    summary["sample_params"] = {k: json.dumps(v, separators=(",", ":")) for k, v in samples.items()}
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps({k: summary[k] for k in ("calls", "leads", "requests", "per_thread", "by_path")}))


if __name__ == "__main__":
    main()
