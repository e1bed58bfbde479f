"""Renderers made on several threads at once (a render server's workers at start)."""

from __future__ import annotations

import subprocess
import sys

# In a child process: wgpu-native aborts the whole process when this goes wrong.
CHILD = """
import threading
import animeceleb as ac

made = []
for _ in range(10):  # made and dropped: devices and adapters released while others start
    threads = [threading.Thread(target=lambda: made.append(ac.Renderer(size=32).size))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
print(f"made {len(made)} renderers")
"""


def test_renderers_made_on_four_threads_at_once() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "made 40 renderers"
