"""Shared machinery for the built-in vendor simulators.

A simulator is a plain function of a request to a response (``Simulator.handle``), so the same
behaviour can be served over real HTTP on 127.0.0.1 (``server.SimulatorServer``) or called in
process through a requests transport adapter (``server.InProcessAdapter``).
"""

from accord.simulate.app import Request, Response, Router, Simulator, json_response
from accord.simulate.faults import Fault, FaultCatalogue, UnknownFault
from accord.simulate.store import Table

__all__ = [
    "Fault",
    "FaultCatalogue",
    "Request",
    "Response",
    "Router",
    "Simulator",
    "Table",
    "UnknownFault",
    "json_response",
]
