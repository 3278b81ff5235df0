"""Pure parts: the password policy, Argon2id hashing, and the audit hash chain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from residency.audit.chain import GENESIS, ChainVerifier, entry_hash
from residency.auth.passwords import Passwords, common_passwords, password_problem
from residency.config import Settings
from tests.conftest import TEST_ARGON2


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("eleven-char", "at least 12"),
        ("123456789012", "too common"),
        ("Qwerty123456!", "too common"),
        ("S3cur1ty-2026", "too common"),
        ("zzzzzzzzzzzzzz", "too easy"),
        ("asdfghjklzxcv", "too easy"),
        ("mike.jones-garden", "username"),
        ("x" * 257, "at most 256"),
    ],
)
def test_weak_passwords_are_named(password: str, problem: str) -> None:
    reason = password_problem(password, "mike.jones")
    assert reason is not None and problem in reason


@pytest.mark.parametrize(
    "password", ["plum-Orbit-vessel-42", "correct horse battery", "Ω-tundra-Kelp"]
)
def test_good_passwords_pass(password: str) -> None:
    assert password_problem(password, "casey") is None


def test_the_common_list_ships_with_the_package() -> None:
    assert {"password", "123456", "qwerty", "residency"} <= common_passwords()


async def test_argon2id_hashes_with_the_configured_cost_and_upgrades_old_ones() -> None:
    cheap = Passwords(Settings(**TEST_ARGON2))  # type: ignore[arg-type]
    stored = await cheap.hash("plum-Orbit-vessel-42")
    assert stored.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    assert await cheap.verify("plum-Orbit-vessel-42", stored) == (True, None)
    assert (await cheap.verify("plum-Orbit-vessel-43", stored))[0] is False
    stronger = Passwords(Settings(argon2_time_cost=2, argon2_memory_kib=128, argon2_parallelism=1))
    matches, upgraded = await stronger.verify("plum-Orbit-vessel-42", stored)
    assert matches and upgraded is not None and "m=128,t=2" in upgraded
    assert await cheap.verify("anything-at-all-1", None) == (False, None)  # no such user
    assert await cheap.verify("anything-at-all-1", "!") == (False, None)  # unusable hash


@dataclass
class Entry:
    seq: int
    prev_hash: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    at: datetime = datetime(2026, 7, 1, tzinfo=UTC)
    actor_id: uuid.UUID | None = None
    actor: str = "system"
    action: str = "create"
    entity_type: str = "people"
    entity_id: str = "x"
    program_id: uuid.UUID | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    hash: str = ""


def chain(length: int) -> list[Entry]:
    entries, previous = [], GENESIS
    for seq in range(1, length + 1):
        entry = Entry(seq, previous, after={"name": f"P{seq}", "pgy": 1.5})
        entry.hash = entry_hash(entry)
        entries.append(entry)
        previous = entry.hash
    return entries


def first_break(entries: list[Entry]) -> tuple[int, str] | None:
    verifier = ChainVerifier()
    verifier.feed(entries)
    broken = verifier.first_break
    return (broken.seq, broken.reason) if broken else None


def test_an_intact_chain_verifies() -> None:
    verifier = ChainVerifier()
    assert verifier.feed(chain(5)) and verifier.count == 5 and verifier.first_break is None


def test_every_kind_of_tampering_is_caught_at_its_entry() -> None:
    entries = chain(5)
    edited = [*entries[:2], replace(entries[2], after={"name": "P3", "pgy": 2}), *entries[3:]]
    assert first_break(edited) == (
        3,
        "hash does not match the entry's contents (the entry was modified)",
    )
    rehashed = replace(edited[2])
    rehashed.hash = entry_hash(rehashed)  # the forger recomputes the hash...
    assert first_break([*edited[:2], rehashed, *entries[3:]])[0] == 4  # ...the next link breaks
    assert first_break([entries[0], entries[2], *entries[3:]])[0] == 3  # a removed entry
    assert first_break([entries[1], entries[0]]) == (2, "entry 1 is missing (found 2 next)")
