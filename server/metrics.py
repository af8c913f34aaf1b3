"""What an operator watches, in Prometheus's terms; served at /metrics by each process.

Each process counts for itself (Prometheus scrapes every process behind the load balancer and
adds them up), so nothing here needs the database or the hub.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

registry = CollectorRegistry()

requests = Counter(
    "snug_http_requests", "HTTP requests answered", ["method", "status"], registry=registry
)
request_seconds = Histogram(
    "snug_http_request_seconds",
    "Time to answer an HTTP request",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    registry=registry,
)
connections = Gauge(
    "snug_websocket_connections",
    "Open live connections: websockets, and the event streams that stand in for blocked ones",
    ["socket"],
    registry=registry,
)
polls = Counter(
    "snug_event_polls",
    "Asks for changes from pages that can keep no stream open",
    registry=registry,
)
messages_sent = Counter(
    "snug_websocket_messages_sent", "Messages sent on websockets", ["socket"], registry=registry
)
messages_received = Counter(
    "snug_websocket_messages_received",
    "Messages received on websockets",
    ["socket"],
    registry=registry,
)
fan_out_seconds = Histogram(
    "snug_broadcast_seconds",
    "From a change reaching this process to its text being in every local screen's outbox",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=registry,
)
gap_wait_seconds = Histogram(
    "snug_gap_wait_seconds",
    "How long each gap in an event's changes (one committed by another process, not yet heard)"
    " held back the changes after it, until filled or given up on (a second), as the room saw"
    " it: a room waiting for its next tally tick sees a gap fill only then",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.5, 5.0),
    registry=registry,
)
hello_seconds = Histogram(
    "snug_hello_seconds",
    "From a screen's hello on its live socket to its snapshot (or the changes it missed) sent",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=registry,
)
refusals = Counter(
    "snug_refusals", "Requests and messages refused, by status", ["status"], registry=registry
)
snapshots_built = Counter(
    "snug_snapshots_built",
    "Event snapshots built from the database; screens asking at the same seq share one",
    ["shape"],
    registry=registry,
)
errors = Counter("snug_errors", "Unexpected errors (bugs)", ["where"], registry=registry)
rate_limited = Counter(
    "snug_rate_limited", "Requests refused for coming too fast", ["action"], registry=registry
)
writes_waiting = Gauge(
    "snug_writes_waiting",
    "Writes queued or in a batch being committed, across every event of this process",
    registry=registry,
)
write_batch = Histogram(
    "snug_write_batch_size",
    "Writes committed together in one transaction (group commit)",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200),
    registry=registry,
)
follow_ups_waiting = Gauge(
    "snug_follow_ups_waiting",
    "Follow-ups (headcounts, checks) waiting to run or running after committed votes",
    registry=registry,
)
loop_lag_seconds = Histogram(
    "snug_event_loop_lag_seconds",
    "How much later than asked the event loop woke a sleeping task: time it was held",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    registry=registry,
)
loop_lag_max_seconds = Gauge(
    "snug_event_loop_lag_max_seconds",
    "The longest the event loop was held since this process started",
    registry=registry,
)
loop_lag_recent_max_seconds = Gauge(
    "snug_event_loop_lag_recent_max_seconds",
    "The longest the event loop was held in the last 10 seconds",
    registry=registry,
)
