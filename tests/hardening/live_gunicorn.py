"""gunicorn serving the app on a free loopback port, for load and fault tests."""
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


class Gunicorn:
    def __init__(self, database_uri: str, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, FLASK_SQLALCHEMY_DATABASE_URI=database_uri,
                   FLASK_RATELIMIT_ENABLED="false", FLASK_SECRET_KEY="live-test")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5", "--timeout", "30",
             "booking:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        self.wait_until_up()

    def wait_until_up(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up: " + self.process.stderr.read(4000).decode())

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stderr.close()
