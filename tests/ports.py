"""Free loopback ports for the real servers the tests start."""
import socket


def free_ports(count: int) -> list[int]:
    """`count` different free loopback ports: the probes stay bound until
    all are chosen, or the system could hand out one port twice (two
    servers of one test then fight over it)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def free_port() -> int:
    return free_ports(1)[0]
