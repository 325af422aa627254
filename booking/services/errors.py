"""Errors the services raise. Each carries a machine code and a message a
person can act on; views map them to HTTP statuses or form messages."""


class ServiceError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, fields: dict | None = None, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code is not None:
            self.code = code  # a finer code than the class's, e.g. "not_today"


class InvalidInput(ServiceError):
    code = "invalid"
    status = 400


class NotFound(ServiceError):
    code = "not_found"
    status = 404


class Forbidden(ServiceError):
    code = "forbidden"
    status = 403


class Conflict(ServiceError):
    code = "conflict"
    status = 409


class Busy(ServiceError):
    """A lock was not granted within LOCK_TIMEOUT_SECONDS: try again shortly."""

    code = "busy"
    status = 503
    retry_after = 2
