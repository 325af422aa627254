"""The public JSON API, version 1 (../shared/api-contract.md)."""
from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

from booking.services.errors import Busy, ServiceError

bp = Blueprint("api", __name__)

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    429: "too_many_requests", 503: "unavailable",
}


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return jsonify(body), status


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    response, status = error_response(error.status, error.code, error.message, error.fields)
    if isinstance(error, Busy):
        response.headers["Retry-After"] = str(error.retry_after)
    return response, status


def api_http_error(error: HTTPException):
    """Registered on the app: errors raised before a blueprint is chosen
    (unknown URL, wrong method, rate limit) must be JSON under /api/ too."""
    if not request.path.startswith("/api/"):
        return error
    code = HTTP_CODES.get(error.code, "error")
    return error_response(error.code, code, error.description or code.replace("_", " "))


from booking.api import views  # noqa: E402,F401  (routes register on bp)
