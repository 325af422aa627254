"""gunicorn for Instap, behind nginx (deploy/nginx-instap.conf).

    FLASK_PROXY_HOPS=1 FLASK_PUBLIC_URL=https://instap.example \
    FLASK_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://... FLASK_REDIS_URL=redis://... \
        .venv/bin/gunicorn -c deploy/gunicorn.conf.py 'booking:create_app()'

nginx buffers slow clients, so a worker thread only ever waits for the
database. Threads (gthread) keep the memory of one process per core while
serving several requests each; the booking transaction is short and locks
one row, so a few threads per core keep both cores busy."""
import multiprocessing
import os

bind = os.environ.get("INSTAP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("INSTAP_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("INSTAP_THREADS", 4))
timeout = 30
graceful_timeout = 10
keepalive = 5
# Only nginx on this machine may say which scheme the client used; the app
# reads X-Forwarded-* itself (PROXY_HOPS), gunicorn need not.
forwarded_allow_ips = "127.0.0.1"
# No access log here (nginx keeps one without URLs); errors go to stderr.
accesslog = None
errorlog = "-"
