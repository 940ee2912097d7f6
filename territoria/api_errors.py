"""The one shape of every API error: a stable code for programs, a French message."""

from ninja import Field, Schema
from ninja.responses import Status


class ErrorOut(Schema):
    code: str = Field(description="Code de l'erreur, stable, pour les programmes.")
    message: str = Field(description="Explication en français.")


def error(status: int, code: str, message: str) -> Status:
    return Status(status, {"code": code, "message": str(message)})
