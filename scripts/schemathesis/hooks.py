"""Schemathesis hooks: no request the service rejects may move the head of its event log.

Before every generated request the head is read from `GET /health/ready` (public, `log_head`);
after a 4xx or 5xx answer it must be the same. Requests run one at a time (workers = 1), so
nothing else moves the head in between.
"""
import json
import os
import urllib.request

import schemathesis

BASE_URL = os.environ["CDS_SCHEMATHESIS_BASE_URL"]
_heads = {}


def log_head():
    with urllib.request.urlopen(f"{BASE_URL}/health/ready", timeout=10) as answer:
        return json.load(answer)["log_head"]


@schemathesis.hook
def before_call(context, case, **kwargs):
    _heads[id(case)] = log_head()


@schemathesis.check
def rejected_request_appends_nothing(ctx, response, case):
    """A request answered with an error appended nothing to the log."""
    if response.status_code < 400:
        return None
    before = _heads.pop(id(case), None)
    after = log_head()
    if before != after:
        raise AssertionError(
            f"The log head moved from {before} to {after} on a request answered {response.status_code}"
        )
    return None
