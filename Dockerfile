# Production image: gunicorn serves the portal, whitenoise its static files.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY portal portal
COPY agencies agencies
COPY directory directory
# The dependencies only: the project itself runs from /app, next to its templates.
RUN python -m venv /venv && /venv/bin/pip install . && /venv/bin/pip uninstall -y danhba-congvu

FROM python:3.11-slim-bookworm
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    STATIC_ROOT=/app/staticfiles
RUN useradd --system --home /app --uid 10001 portal
WORKDIR /app
COPY --from=build /venv /venv
COPY manage.py ./
COPY portal portal
COPY agencies agencies
COPY directory directory
COPY templates templates
COPY static static
COPY locale locale
COPY fixtures fixtures
# collectstatic needs settings but no secret worth keeping: a throwaway one, for this step only.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && chown -R portal /app
USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
