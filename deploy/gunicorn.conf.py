"""gunicorn for Instap, behind nginx (deploy/nginx-instap.conf).

    FLASK_PROXY_HOPS=1 FLASK_PUBLIC_URL=https://instap.example \
    FLASK_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://... FLASK_REDIS_URL=redis://... \
        .venv/bin/gunicorn -c deploy/gunicorn.conf.py 'booking:create_app()'

nginx buffers slow clients, so a worker only ever waits for the database.
One thread per worker process, two processes per core and one more: a
booking is a few short round trips to the database, and threads of one
process would queue for its interpreter lock after each of them. Measured
through nginx on a 2-core machine at a steady 170 bookings/s from 50
kiosks: a median latency of 10-25 ms with 4-8 single-threaded workers,
against 35-90 ms with 2-4 workers of 2-4 threads, for the same maximum
throughput (benchmarks/booking_results.txt)."""
import multiprocessing
import os

bind = os.environ.get("INSTAP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("INSTAP_WORKERS", 2 * multiprocessing.cpu_count() + 1))
# gthread even with one thread: it keeps nginx's upstream connections alive
# (the sync worker closes each one after a request).
worker_class = "gthread"
threads = int(os.environ.get("INSTAP_THREADS", 1))
timeout = 30
graceful_timeout = 10
keepalive = 5
# Only nginx on this machine may say which scheme the client used; the app
# reads X-Forwarded-* itself (PROXY_HOPS), gunicorn need not.
forwarded_allow_ips = "127.0.0.1"
# No access log here (nginx keeps one without URLs); errors go to stderr.
accesslog = None
errorlog = "-"
