"""What encrypting the INSZ costs: per value, and in generate_synthetic's bulk writes.

    DATABASE_URL=postgres://…/empty_db python bench/insz_bench.py [--persons 100000]

Migrates the (empty) database, then times `demo.synthetic.generate` for N
persons: wall time, CPU of this process and CPU of the PostgreSQL backend (the
work itself, whatever else the machine runs), and prints JSON. Run it on the
code before and after the change, each into its own empty database, to compare.
The per-value costs of Fernet, AES-GCM and HMAC-SHA256 are measured in-process.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def per_value_microseconds(n=20_000) -> dict:
    import hashlib
    import hmac

    from cryptography.fernet import Fernet, MultiFernet
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    number = b"85073003328"
    fernet = MultiFernet([Fernet(Fernet.generate_key())])
    aes, key = AESGCM(os.urandom(32)), os.urandom(32)

    def timed(step):
        started = time.perf_counter()
        for _ in range(n):
            step()
        return (time.perf_counter() - started) / n * 1e6

    token = fernet.encrypt(number)
    return {
        "fernet_encrypt": timed(lambda: fernet.encrypt(number)),
        "fernet_decrypt": timed(lambda: fernet.decrypt(token)),
        "aesgcm_encrypt": timed(lambda: (lambda nonce: nonce + aes.encrypt(nonce, number, None))(os.urandom(12))),
        "hmac_sha256": timed(lambda: hmac.new(key, number, hashlib.sha256).hexdigest()),
        "fernet_token_chars": len(token),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from import_bench import backend_cpu_seconds

    from demo.synthetic import generate

    call_command("migrate", verbosity=0)
    started, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu_seconds(connection)
    generate(persons=args.persons, seed=1)
    figures = {
        "persons": args.persons,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "python_cpu_seconds": round(time.process_time() - cpu, 1),
        "postgres_cpu_seconds": round(backend_cpu_seconds(connection) - db_cpu, 1) if db_cpu is not None else None,
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "per_value_microseconds": {k: round(v, 2) for k, v in per_value_microseconds().items()},
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
