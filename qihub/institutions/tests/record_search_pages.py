"""Record `search_pages.json`, the search pages `test_search_page_bytes.py` compares with.

Run it on the code whose output is the reference (before changing the search page):

    .venv/bin/python qihub/institutions/tests/record_search_pages.py
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

if __name__ == "__main__":
    env = {**os.environ, "QIHUB_RECORD_SEARCH_PAGES": "1"}
    command = [sys.executable, "-m", "pytest", str(HERE / "test_search_page_bytes.py"), "-q"]
    command += ["-p", "no:randomly", "-rs"]
    sys.exit(subprocess.run(command, cwd=ROOT, env=env, check=False).returncode)
