# SPDX-License-Identifier: GPL-2.0-only
# Python multiprocessing with a large parent heap: the parent builds many
# small objects (pymalloc arenas) and one big buffer, then a fork Pool
# reads and updates them; reference counting alone dirties the pages
# holding the objects a child touches (CoW).
#   python3 mp_heap.py [HEAP_MB] [WORKERS] [TASKS]
import multiprocessing as mp
import sys

heap_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 24
workers = int(sys.argv[2]) if len(sys.argv) > 2 else 4
tasks = int(sys.argv[3]) if len(sys.argv) > 3 else 8

objs = [bytearray(1000) for _ in range(heap_mb * 512)]   # half the heap
big = bytearray(heap_mb * 512 * 1024)                      # other half


def work(i):
    s = 0
    for b in objs[i::tasks * 2]:
        b[0] = i
        s += b[1]
    for off in range(i * 4096, len(big), tasks * 4096 * 4):
        big[off] = i
    return s + len(objs)


if __name__ == '__main__':
    mp.set_start_method('fork')
    with mp.Pool(workers) as pool:
        print(sum(pool.map(work, range(tasks))))
