"""hubsim's own random UUIDs (correlation ids, occurrence ids): version 4, and untouched by the global `random`."""

from __future__ import annotations

import random
import uuid

from simulator.uuids import random_uuid


def test_each_is_a_distinct_version_4_uuid_in_canonical_form():
    made = [random_uuid() for _ in range(10_000)]
    assert len(set(made)) == len(made)
    for text in made[:100]:
        parsed = uuid.UUID(text)
        assert (str(parsed), parsed.version, parsed.variant) == (text, 4, uuid.RFC_4122)


def test_seeding_the_global_random_repeats_none_of_them():
    random.seed(7)
    first = random_uuid()
    random.seed(7)
    assert random_uuid() != first
