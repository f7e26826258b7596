"""Run the hostile-input properties for longer than CI does.

    python tests/fuzz/run.py                  # 2,000 examples per property, random seeds
    python tests/fuzz/run.py --examples 20000 # longer
    python tests/fuzz/run.py -- -k pdf        # extra pytest arguments after --

The properties are those of `tests/properties/test_hostile_inputs.py` (and the invariants beside
them): never exit 70, never a traceback, always a message naming the place, batches conserve
records. CI runs them with a small fixed budget (derandomized); this script runs them with
random seeds and a budget you choose, and hypothesis keeps every failure it finds in
`.hypothesis/` so the next CI run replays it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property (default 2000)")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()
    env = dict(os.environ, MEGAROTH_FUZZ_EXAMPLES=str(args.examples), HYPOTHESIS_PROFILE="dev")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               str(ROOT / "tests" / "properties" / "test_hostile_inputs.py"), *args.pytest_args]
    return subprocess.call(command, env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
