"""Kernel timings with jupyter_client: start to first execute_reply, and the median round trip of a trivial cell.

Run through bench-kernel.sh (which installs the kernelspec into a temporary prefix), or directly with JUPYTER_PATH set:
  /usr/bin/python3 tests/jupyter/bench_kernel.py [--kernel dimreduce-csharp] [--rounds 50] [--starts 3]
"""
import argparse
import statistics
import time

from jupyter_client.manager import KernelManager


def one_start(name: str, rounds: int):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        ready = time.perf_counter() - t0
        reply = kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda m: None)
        first = time.perf_counter() - t0
        assert reply["content"]["status"] == "ok", reply["content"]
        # Warm-up rounds, then measured ones.
        for _ in range(5):
            kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda m: None)
        times = []
        for i in range(rounds):
            s = time.perf_counter()
            r = kc.execute_interactive(f"{i} + 1", timeout=60, output_hook=lambda m: None)
            times.append(time.perf_counter() - s)
            assert r["content"]["status"] == "ok"
        return ready, first, times
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kernel", default="dimreduce-csharp")
    p.add_argument("--rounds", type=int, default=50)
    p.add_argument("--starts", type=int, default=3)
    a = p.parse_args()
    firsts, readies, medians = [], [], []
    for _ in range(a.starts):
        ready, first, times = one_start(a.kernel, a.rounds)
        readies.append(ready)
        firsts.append(first)
        medians.append(statistics.median(times))
        print(f"start: ready {ready:.2f} s, first execute_reply {first:.2f} s; round trip median {statistics.median(times) * 1000:.1f} ms "
              f"(min {min(times) * 1000:.1f}, p90 {sorted(times)[int(0.9 * len(times))] * 1000:.1f}) over {len(times)} cells")
    print(f"kernel start to first execute_reply: median {statistics.median(firsts):.2f} s over {a.starts} starts (goal <= 3 s)")
    print(f"trivial cell round trip after warm-up: median {statistics.median(medians) * 1000:.1f} ms (goal <= 50 ms)")


if __name__ == "__main__":
    main()
