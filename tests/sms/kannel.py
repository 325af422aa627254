"""A real Kannel for the tests: bearerbox and smsbox with a config of free
ports in a temporary folder, and Debian's fake SMSC (kannel-extras), which
logs every SMS the gateway hands to the "operator". `received()` reads that
log back as texts, concatenated parts joined and UCS-2 decoded."""
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.ports import free_ports

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
START_TIMEOUT = 20

GOT = re.compile(rb"Got message \d+: <(\S+) (\S+) (\S+) (.*)>$")


def _unescape(data: bytes) -> bytes:
    return urllib.parse.unquote_to_bytes(data.replace(b"+", b"%20"))


def _text(data: bytes) -> str:
    # fakesmsc shows UCS-2 as escaped UTF-16BE, GSM text as UTF-8; a UCS-2
    # text always has zero bytes (a space is 00 20, Latin letters 00 xx).
    return data.decode("utf-16-be") if b"\x00" in data else data.decode("utf-8")


@dataclass(frozen=True)
class Received:
    sender: str
    to: str
    text: str
    coding: str  # "gsm" or "ucs2"
    parts: int


class Kannel:
    def __init__(self, folder: Path, *, instap_url: str, secret: str):
        self.folder = folder
        names = ("admin", "smsbox", "smsc", "phones", "sendsms")
        self.ports = dict(zip(names, free_ports(len(names)), strict=True))
        self.user, self.password = "instap", "kannel-test-password"
        self.config = folder / "kannel.conf"
        self.config.write_text(self._config(instap_url, secret))
        self.processes: dict[str, subprocess.Popen] = {}
        self.smsc_log = folder / "fakesmsc.log"

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms']}/cgi-bin/sendsms"

    def _config(self, instap_url: str, secret: str) -> str:
        incoming = (f"{instap_url}/gateway/kannel/incoming?secret={secret}"
                    "&from=%p&to=%P&text=%a")
        return f"""\
group = core
admin-port = {self.ports['admin']}
admin-password = admin-test
smsbox-port = {self.ports['smsbox']}
box-allow-ip = 127.0.0.1
log-file = "{self.folder}/bearerbox.log"
log-level = 1
store-type = file
store-location = "{self.folder}/bearerbox.store"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = operator
port = {self.ports['smsc']}
connect-allow-ip = 127.0.0.1

group = smsc
smsc = fake
smsc-id = phones
port = {self.ports['phones']}
connect-allow-ip = 127.0.0.1
# Participants' phones only send in: no SMS of Instap's goes out this way.
allowed-smsc-id = phones

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {self.ports['sendsms']}
log-file = "{self.folder}/smsbox.log"
log-level = 1

group = sendsms-user
username = {self.user}
password = {self.password}
max-messages = 2
concatenation = true
forced-smsc = operator

group = sms-service
keyword = default
get-url = "{incoming}"
max-messages = 0
omit-empty = true
"""

    # Processes ------------------------------------------------------------

    def start(self):
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self):
        self._spawn("bearerbox", [BEARERBOX, str(self.config)])
        _wait_for_port(self.ports["smsbox"])
        self._spawn("smsbox", [SMSBOX, str(self.config)])
        _wait_for_port(self.ports["sendsms"])
        with open(self.smsc_log, "ab") as log:
            self.processes["fakesmsc"] = subprocess.Popen(
                [FAKESMSC, "-H", "127.0.0.1", "-r", str(self.ports["smsc"]), "-i", "0.1",
                 "-m", "0", "x y text z"], stdout=log, stderr=subprocess.STDOUT)
        self._wait_online("operator")

    def stop(self):
        for name in ("fakesmsc", "smsbox", "bearerbox"):
            process = self.processes.pop(name, None)
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def _spawn(self, name, command):
        log = open(self.folder / f"{name}.out", "ab")
        try:
            self.processes[name] = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        finally:
            log.close()

    def _wait_online(self, smsc_id: str):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                status = urllib.request.urlopen(
                    f"http://127.0.0.1:{self.ports['admin']}/status.txt?password=admin-test",
                    timeout=2).read().decode()
            except OSError:
                status = ""
            if re.search(rf"^\s*{smsc_id}\[.*\(online", status, re.MULTILINE):
                return
            time.sleep(0.1)
        raise RuntimeError(f"Kannel's SMSC {smsc_id} did not come online")

    # The fake operator ------------------------------------------------------

    def received(self) -> list[Received]:
        """Every SMS the fake operator got, in order, each part joined."""
        if not self.smsc_log.exists():
            return []
        texts, pending = [], {}
        for line in self.smsc_log.read_bytes().splitlines():
            match = GOT.search(line)
            if not match:
                continue
            sender, to, kind, rest = (g for g in match.groups())
            sender, to = sender.decode(), to.decode()
            if kind == b"text":
                texts.append(Received(sender, to, rest.decode("utf-8"), "gsm", 1))
            elif kind == b"ucs-2":
                texts.append(Received(sender, to, _unescape(rest).decode("utf-16-be"), "ucs2", 1))
            elif kind == b"udh":
                udh, _data, data = rest.split(b" ", 2)
                header, data = _unescape(udh), _unescape(data)
                reference, total, number = header[3], header[4], header[5]
                parts = pending.setdefault((to, reference), {})
                parts[number] = data
                if len(parts) == total:
                    del pending[(to, reference)]
                    whole = b"".join(parts[n] for n in sorted(parts))
                    texts.append(Received(sender, to, _text(whole),
                                          "ucs2" if b"\x00" in whole else "gsm", total))
        return texts

    def wait_for(self, count: int, *, timeout: float = 15.0) -> list[Received]:
        """Poll the fake operator's log until it holds `count` texts."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.received()
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def phone_sends(self, sender: str, text: str, *, timeout: float = 15.0):
        """A participant's SMS: a second fake SMSC sends one message in."""
        process = subprocess.Popen(
            [FAKESMSC, "-H", "127.0.0.1", "-r", str(self.ports["phones"]), "-i", "0.1",
             "-m", "1", f"{sender} 8850 text {text}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_port(port: int):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")
