"""End to end with real git: two devices, clones of one bare repository holding the notes and
the history folder; both grade (the same card too) while apart; commit, pull and push in either
order; git never reports a conflict and both stores end with every review and the same states."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from devices_helpers import close, grade, keys, stats, views, write_notes

from drill.cli import main
from drill.store.collection import Store
from drill.study.schedule import AGAIN, EASY, GOOD, HARD

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd, *args) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **ENV},
                          timeout=60)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stdout}{proc.stderr}"
    assert "CONFLICT" not in proc.stdout + proc.stderr
    return proc.stdout


def clone(bare, target):
    git(bare.parent, "clone", "-q", str(bare), str(target))
    git(target, "config", "pull.rebase", "false")
    git(target, "config", "user.name", "t")
    git(target, "config", "user.email", "t@example.invalid")


def publish(repo, message):
    git(repo, "add", "-A")
    if git(repo, "status", "--porcelain"):
        git(repo, "commit", "-q", "-m", message)
    git(repo, "pull", "-q", "--no-edit")
    git(repo, "push", "-q")


@pytest.mark.parametrize("laptop_first", [True, False])
def test_two_devices_through_one_git_repository(tmp_path, laptop_first):
    bare = tmp_path / "notes.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    seed = tmp_path / "seed"
    clone(bare, seed)
    write_notes(seed)
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "notes")
    git(seed, "push", "-q", "origin", "HEAD")
    laptop_repo, desktop_repo = tmp_path / "laptop" / "notes", tmp_path / "desktop" / "work" / "notes"
    laptop_repo.parent.mkdir(parents=True)
    desktop_repo.parent.mkdir(parents=True)
    clone(bare, laptop_repo)
    clone(bare, desktop_repo)  # the same repository at another path
    dbs = {"laptop": str(tmp_path / "laptop" / "drill.json"), "desktop": str(tmp_path / "desktop" / "drill.json")}
    repos = {"laptop": laptop_repo, "desktop": desktop_repo}
    for name in ("laptop", "desktop"):
        assert main(["--db", dbs[name], "import", str(repos[name])]) == 0
        assert main(["--db", dbs[name], "devices", "setup", str(repos[name] / ".drill"), "--name", name]) == 0
    publish(laptop_repo, "laptop joins")
    publish(desktop_repo, "desktop joins")
    publish(laptop_repo, "laptop catches up")

    laptop, desktop = Store(dbs["laptop"]), Store(dbs["desktop"])
    a, b, c = keys(laptop)
    assert keys(desktop) == [a, b, c]  # same notes, same keys, whatever the path
    # apart: both grade, the same card (a) included
    grade(laptop, a, GOOD, T0)
    grade(laptop, b, HARD, T0 + timedelta(minutes=1))
    grade(desktop, a, AGAIN, T0 + timedelta(minutes=30))
    grade(desktop, c, EASY, T0 + timedelta(minutes=31))
    close(laptop, desktop)
    order = ["laptop", "desktop"] if laptop_first else ["desktop", "laptop"]
    for name in order + order:  # commit, pull, push; each in turn, twice
        publish(repos[name], f"{name} reviews")
        assert main(["--db", dbs[name], "sync"]) == 0
    laptop, desktop = Store(dbs["laptop"]), Store(dbs["desktop"])
    now = T0 + timedelta(hours=1)
    assert views(laptop) == views(desktop)
    assert stats(laptop, now) == stats(desktop, now)
    assert stats(laptop, now)[0]["total_reviews"] == 4
    assert views(laptop)[a][0]["reps"] == 2  # both grades of card a, in time order
    # the history folder holds one file per device and the union-merge attribute
    history = sorted(p.name for p in (laptop_repo / ".drill").iterdir())
    assert history[0] == ".gitattributes" and len(history) == 3
    log = git(laptop_repo, "log", "--oneline")
    assert "Merge" in log or "reviews" in log
    close(laptop, desktop)
