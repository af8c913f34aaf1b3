"""The allocator: votes, rooms, slots and constraints in; a grid that serves the most votes out.

Pure Python on plain data (no database, no I/O), so it can be tested and benchmarked alone.
"""

from server.allocation.model import (
    Allocation,
    AllocationError,
    Cell,
    Explanation,
    Grid,
    Instance,
    LeftOut,
    Room,
    Served,
    Session,
)
from server.allocation.search import allocate
from server.allocation.served import check, served_votes

__all__ = [
    "Allocation",
    "AllocationError",
    "Cell",
    "Explanation",
    "Grid",
    "Instance",
    "LeftOut",
    "Room",
    "Served",
    "Session",
    "allocate",
    "check",
    "served_votes",
]
