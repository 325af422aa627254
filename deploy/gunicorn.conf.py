"""gunicorn for Instap, behind nginx (deploy/nginx-instap.conf).

    FLASK_PROXY_HOPS=1 FLASK_PUBLIC_URL=https://instap.example \
    FLASK_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://... FLASK_REDIS_URL=redis://... \
        .venv/bin/gunicorn -c deploy/gunicorn.conf.py 'booking:create_app()'

nginx buffers slow clients and holds idle connections, so a worker only
ever waits for the database: gunicorn's plain sync workers, two per core and
one more. Each takes its next request from the kernel's one queue, so no
request waits behind a slow one while another worker is free, and no thread
of a process waits for the interpreter lock after a database round trip.
The figures that chose this, against threaded workers, are in
docs/operations.md and benchmarks/booking_results.txt."""
import multiprocessing
import os

bind = os.environ.get("INSTAP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("INSTAP_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# More than one makes gunicorn use its threaded worker (gthread) instead.
threads = int(os.environ.get("INSTAP_THREADS", 1))
# A sync worker shows it is alive by touching a file each turn: in memory,
# not on a disk that would write it back all day.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
timeout = 30
graceful_timeout = 10
keepalive = 5  # threaded workers only: a sync worker closes each connection
# Only nginx on this machine may say which scheme the client used; the app
# reads X-Forwarded-* itself (PROXY_HOPS), gunicorn need not.
forwarded_allow_ips = "127.0.0.1"
# No access log here (nginx keeps one without URLs); errors go to stderr.
accesslog = None
errorlog = "-"
