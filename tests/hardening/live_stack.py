"""The production shape, started for a test: nginx (Debian's, configured
from deploy/nginx-instap.conf with a throw-away TLS certificate) in front of
gunicorn (deploy/gunicorn.conf.py), each on a free loopback port, in a
temporary folder of their own."""
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.ports import free_ports

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SERVER_NAME = "instap.example"


def nginx_site(listen: str, upstream: str, folder: Path) -> str:
    """deploy/nginx-instap.conf with its @...@ words filled in."""
    text = (DEPLOY / "nginx-instap.conf").read_text()
    for word, value in {"LISTEN": listen, "SERVER_NAME": SERVER_NAME, "UPSTREAM": upstream,
                        "CERT": str(folder / "cert.pem"), "KEY": str(folder / "key.pem"),
                        "STATIC": str(ROOT / "booking" / "static"),
                        "ACCESS_LOG": str(folder / "access.log")}.items():
        text = text.replace(f"@{word}@", value)
    assert not re.search(r"@[A-Z_]+@", text), "every @WORD@ of the sample is filled in"
    return text


def _main_config(folder: Path) -> str:
    """The few lines a Debian nginx.conf gives around a site, in `folder`."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
{temp}
    include /etc/nginx/mime.types;
    include {folder / 'instap.conf'};
}}
"""


class ProductionStack:
    def __init__(self, folder: Path, database_uri: str, **settings):
        self.folder = folder
        self.app_port, self.port = free_ports(2)
        self.url = f"https://{SERVER_NAME}:{self.port}"
        self._certificate()
        env = dict(os.environ, FLASK_SQLALCHEMY_DATABASE_URI=database_uri,
                   FLASK_SECRET_KEY="live-stack", FLASK_PROXY_HOPS="1",
                   FLASK_PUBLIC_URL=f"https://{SERVER_NAME}",
                   INSTAP_BIND=f"127.0.0.1:{self.app_port}")
        if "WORKERS" in settings:  # else deploy/gunicorn.conf.py's own number
            env["INSTAP_WORKERS"] = settings.pop("WORKERS")
        env |= {f"FLASK_{name}": value for name, value in settings.items()}
        self._log_files = [open(folder / "gunicorn.log", "w"), open(folder / "nginx.stderr", "w")]
        self.gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", str(DEPLOY / "gunicorn.conf.py"),
             "booking:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self._log_files[0])
        (folder / "instap.conf").write_text(
            nginx_site(f"127.0.0.1:{self.port} ssl", f"127.0.0.1:{self.app_port}", folder))
        (folder / "nginx.conf").write_text(_main_config(folder))
        self.nginx = subprocess.Popen(
            [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(folder), "-c",
             str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=self._log_files[1])
        self.context = ssl.create_default_context(cafile=str(folder / "cert.pem"))
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()  # no process or open log outlives a stack that did not start
            raise

    def _certificate(self):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", f"/CN={SERVER_NAME}", "-addext", f"subjectAltName=DNS:{SERVER_NAME}",
             "-keyout", str(self.folder / "key.pem"), "-out", str(self.folder / "cert.pem")],
            check=True, capture_output=True, timeout=60)

    def connect(self) -> socket.socket:
        """A TCP connection to nginx (a client's first step)."""
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def opener(self) -> urllib.request.OpenerDirector:
        """Opens https://instap.example:PORT/... on the loopback address,
        with the test certificate trusted, and never follows redirects."""
        stack = self

        class Loopback(urllib.request.HTTPSHandler):
            def __init__(self):
                super().__init__(context=stack.context)

            def https_open(self, request):
                import http.client

                class Connection(http.client.HTTPSConnection):
                    def connect(conn):
                        conn.sock = stack.context.wrap_socket(
                            stack.connect(), server_hostname=SERVER_NAME)

                return self.do_open(Connection, request, context=stack.context)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        return urllib.request.build_opener(Loopback, NoRedirect)

    def _wait_until_up(self, seconds=60):
        deadline = time.monotonic() + seconds
        opener = self.opener()
        while time.monotonic() < deadline:
            for process, name in ((self.gunicorn, "gunicorn"), (self.nginx, "nginx")):
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped: " + self.logs())
            try:
                with opener.open(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the stack did not come up: " + self.logs())

    def logs(self) -> str:
        return "\n".join((self.folder / name).read_text()[-3000:]
                         for name in ("gunicorn.log", "nginx.stderr", "error.log")
                         if (self.folder / name).exists())

    def stop(self):
        for process in (self.nginx, self.gunicorn):
            process.terminate()
        for process in (self.nginx, self.gunicorn):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self._log_files:
            log.close()
