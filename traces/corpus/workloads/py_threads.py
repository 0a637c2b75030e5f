# SPDX-License-Identifier: GPL-2.0-only
"""Python with threads: a pool of worker threads, each with its own thread
stack, building and hashing byte buffers and dicts (the GIL hands the heap
from thread to thread), some of them starting a subprocess from the
multi-threaded process (vfork+exec).

    python3 py_threads.py [THREADS [TASKS [KB]]]     default 8 32 256
"""
import hashlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 8
tasks = int(sys.argv[2]) if len(sys.argv) > 2 else 32
kb = int(sys.argv[3]) if len(sys.argv) > 3 else 256


def task(i):
    buf = bytearray(kb * 1024)
    for off in range(0, len(buf), 4096):
        buf[off] = (i + off) & 0xff
    table = {str(k): k * i for k in range(2000)}
    digest = hashlib.sha256(bytes(buf)).hexdigest()
    if i % 8 == 0:
        subprocess.run(["/bin/true"], check=True)
    return digest[:8], len(table)


with ThreadPoolExecutor(max_workers=threads) as pool:
    results = list(pool.map(task, range(tasks)))
print("py_threads:", len(results), "tasks on", threads, "threads")
