"""accord's hypothesis home: no .hypothesis/ in the working directory, and no first-run table build."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

from accord.hypothesis_home import UTF8_ENCODABLE

COMPUTE = """
import sys
from hypothesis.configuration import set_hypothesis_home_dir
set_hypothesis_home_dir(sys.argv[1])
from hypothesis.internal.charmap import charmap_file, intervals_from_codec
intervals_from_codec("utf-8")
print(charmap_file("codec-utf-8"))
"""


def test_the_seeded_utf8_table_is_what_hypothesis_computes(tmp_path):
    """hypothesis computes the table itself in a fresh home; accord's seed must equal that file."""
    computed = subprocess.run([sys.executable, "-c", COMPUTE, str(tmp_path / "computed")],
                              capture_output=True, text=True, timeout=120, check=True).stdout.strip()
    seeded = subprocess.run([sys.executable, "-c", "import sys\nfrom hypothesis.configuration import set_hypothesis_home_dir\n"
                             "set_hypothesis_home_dir(sys.argv[1])\nfrom accord.hypothesis_home import seed_utf8_table\n"
                             "print(seed_utf8_table())", str(tmp_path / "seeded")],
                            capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    assert Path(seeded).relative_to(tmp_path / "seeded") == Path(computed).relative_to(tmp_path / "computed")
    # the gzip header names the temporary file each was written as; the content is what counts
    assert gzip.decompress(Path(seeded).read_bytes()) == gzip.decompress(Path(computed).read_bytes())
    assert json.loads(gzip.decompress(Path(seeded).read_bytes())) == UTF8_ENCODABLE


def test_an_existing_table_is_left_alone(tmp_path):
    script = ("import sys\nfrom pathlib import Path\nfrom hypothesis.configuration import set_hypothesis_home_dir\n"
              "set_hypothesis_home_dir(sys.argv[1])\nfrom accord.hypothesis_home import seed_utf8_table\n"
              "first = seed_utf8_table(); first.write_bytes(b'kept')\n"
              "assert seed_utf8_table() == first and first.read_bytes() == b'kept'\nprint(first)")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).read_bytes() == b"kept"


def test_a_run_writes_no_hypothesis_folder_in_the_working_directory_and_seeds_its_cache(tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "ACCORD_CACHE_DIR": str(cache)}
    subprocess.run([sys.executable, "-m", "accord.cli", "run", "kimai", "--clause", "kimai.customers.list.returns-collection",
                    "--report-dir", str(tmp_path / "reports")], cwd=tmp_path, env=env, capture_output=True, timeout=300)
    assert not (tmp_path / ".hypothesis").exists()
    assert list(cache.glob("hypothesis/unicode_data/*/codec-utf-8.json.gz"))


def test_seeding_the_table_raises_no_hypothesis_side_effect_warning(tmp_path):
    """hypothesis warns about storage touched while plugins initialise; accord's seeding only asks for a
    path, and a plain pytest run of a suite must not print that warning to every user."""
    env = {**os.environ, "ACCORD_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "pytest", "suites/kimai/test_properties.py", "-q", "-p", "no:cacheprovider",
                           "--report-dir", str(tmp_path / "reports"), "-k", "round_trip or documented",
                           "-W", "error::hypothesis.errors.HypothesisSideeffectWarning"],
                          cwd=Path(__file__).resolve().parents[1], env=env, capture_output=True, text=True, timeout=300)
    assert "HypothesisSideeffectWarning" not in done.stdout + done.stderr
    assert done.returncode in (0, 5), done.stdout[-2000:]
    assert list((tmp_path / "cache").glob("hypothesis/unicode_data/*/codec-utf-8.json.gz"))
