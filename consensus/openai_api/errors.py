"""Errors in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}` with its status."""

from __future__ import annotations

from django.http import JsonResponse

from ..access.admission import AccessDenied

# The error `type` by HTTP status, as OpenAI names them; clients branch on the status.
TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "server_error",
}
# Admission codes renamed to what OpenAI clients know (`consensus.access.admission`).
ADMISSION_CODES = {"invalid_token": "invalid_api_key", "unauthorized": "missing_api_key"}


class ApiError(Exception):
    """A request the facade answers with an error; `response()` is the OpenAI-shaped JSON."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        body = {
            "error": {
                "message": self.message,
                "type": TYPES.get(self.status, "server_error"),
                "param": self.param,
                "code": self.code,
            }
        }
        response = JsonResponse(body, status=self.status, json_dumps_params={"ensure_ascii": False})
        for name, value in self.headers.items():
            response[name] = value
        return response


def from_access(denied: AccessDenied) -> ApiError:
    """A refused admission (401, 429 with its Retry-After) as an OpenAI error."""
    code = ADMISSION_CODES.get(denied.code, denied.code)
    return ApiError(denied.status, code, denied.message, headers=denied.headers)


def model_not_found(model: object) -> ApiError:
    return ApiError(
        404,
        "model_not_found",
        f"The model {model!r} does not exist; use 'consensus' or 'consensus-validated'.",
        param="model",
    )
