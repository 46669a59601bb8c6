"""Test doubles that speak the real protocols, shared by the test suite and the benches (so nothing imports
from `tests/`): a TGI/OpenAI-protocol streaming server over real HTTP, and the soak driver for the app API."""
