"""gunicorn's settings for production: `gunicorn -c python:eventapp.gunicorn_conf wsgi:app`.

The benchmarks (bench/) serve both the service and their baselines with this file, so what
they measure is what the README recommends. Sized for a 2-core server: see the README's
Production section for the measurements behind the choice.
"""

worker_class = "sync"
workers = 5
