"""Profile `mixed`: the three integrations on one portal at once, a CRM sync, the event firehose and the sync core.
Locust only; never imported by pytest.

Users are split by weight; each class paces itself on the whole user count, so a class runs at its weight's share
of its own allowance: the CRM sync and the sync core share the ten-secondly allowance (together at it, times
--multiple) and the firehose sends at its share of the 1,250 a second.
"""

from __future__ import annotations

import shapes
from crm import PLGSync
from event_firehose import Firehose
from sync_core import SyncProcess

PLGSync.weight, Firehose.weight, SyncProcess.weight = 2, 1, 1

Shape = shapes.chosen()
