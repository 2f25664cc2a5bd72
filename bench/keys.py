"""The INSZ keys of the benchmark databases (bench_100k, bench_1m): synthetic persons only.

The benchmark generates its data in development mode and serves it under production settings
(bench/load_bench.py), which refuse the development keys; both therefore use these keys, so that
the numbers written by one are read by the other. Never use them for real data.
"""

import base64
import os

BENCH_KEYS = {
    "DOORSTROOM_INSZ_KEYS": base64.urlsafe_b64encode(b"doorstroom-benchmark-only-key!!!").decode(),
    "DOORSTROOM_INSZ_HASH_KEY": "doorstroom-benchmark-only-insz-hash-key",
}


def use_bench_keys(env=os.environ) -> None:
    """Put the benchmark keys in `env` unless keys are given there already."""
    for name, value in BENCH_KEYS.items():
        env.setdefault(name, value)
