"""The one shape of every API error: a stable code for programs, a French message."""

from ninja import Field, Schema
from ninja.responses import Status


class ErrorOut(Schema):
    code: str = Field(description="Code de l'erreur, stable, pour les programmes.")
    message: str = Field(description="Explication en français.")


class FieldErrorOut(Schema):
    field: str = Field(description="Paramètre ou champ en cause (query.limit, path.slug…).")
    message: str


class InvalidRequestOut(ErrorOut):
    fields: list[FieldErrorOut] = Field(
        default_factory=list, description="Chaque paramètre ou champ invalide."
    )


def error(status: int, code: str, message: str) -> Status:
    return Status(status, {"code": code, "message": str(message)})
