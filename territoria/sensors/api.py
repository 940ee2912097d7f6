"""The sensors JSON API (django-ninja router mounted in territoria/api.py at
/api/capteurs): readings in from every source, devices of a fleet, public counts.

Writes are authenticated by a fleet's API key (`Authorization: Bearer trk_…` or
`X-Api-Key: trk_…`). The ingestion endpoints read the body themselves (one JSON
parse, no per-reading schema object) and document it with `openapi_extra`.
"""

import datetime

from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

import orjson
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import StrictFloat

from territoria.api_errors import ErrorOut, error
from territoria.sensors import actions, formats, indicators
from territoria.sensors.enums import DeviceKind, Source
from territoria.sensors.ingest import BatchRejected, paused_gc
from territoria.sensors.models import Device, Fleet, Site, normalise_dev_eui

router = Router(tags=["Capteurs et pilotage"])

TS_HELP = "ISO 8601 avec fuseau ou secondes UTC."

KEY_HELP = "Clé d'API de la flotte : en-tête `Authorization: Bearer trk_…` ou `X-Api-Key`."
# The security schemes are declared once in territoria/api.py.
FLEET_KEY = {"security": [{"cleFlotte": []}, {"cleFlotteEntete": []}]}


# Examples name a device of the demonstration (`territoria demo`), so they work as is there.
EXAMPLE_DEVICE = "SAM-EAU-001"
EXAMPLE_TIME = "2025-03-15T01:00:00+01:00"


def _json_body(schema: dict, example) -> dict:
    content = {"application/json": {"schema": schema, "example": example}}
    return {**FLEET_KEY, "requestBody": {"required": True, "content": content}}


CHIRPSTACK_BODY = _json_body(
    {
        "title": "Événement up de ChirpStack v4",
        "type": "object",
        "required": ["deviceInfo"],
        "properties": {
            "deduplicationId": {"type": ["string", "null"]},
            "time": {"type": ["string", "number"], "description": TS_HELP},
            "deviceInfo": {
                "type": "object",
                "required": ["devEui"],
                "properties": {"devEui": {"type": "string", "example": "a840419edb62011c"}},
            },
            "data": {"type": ["string", "null"], "description": "Trame brute en base64."},
            "object": {"type": "object", "description": "Charge décodée par le codec."},
        },
    },
    {
        "deduplicationId": "80166477-2482-43ab-a64e-088107a7c4fa",
        "time": EXAMPLE_TIME,
        "deviceInfo": {"devEui": "a840419edb62011c"},
        "data": "zOEJqQHEAQj1f/8=",
        "object": {"volume_l": 12.0, "temperature": 14.7},
    },
)
TTS_BODY = _json_body(
    {
        "title": "Message uplink de The Things Stack v3",
        "type": "object",
        "required": ["end_device_ids", "uplink_message"],
        "properties": {
            "end_device_ids": {
                "type": "object",
                "properties": {
                    "device_id": {"type": ["string", "null"]},
                    "dev_eui": {"type": ["string", "null"]},
                },
            },
            "correlation_ids": {"type": ["array", "null"], "items": {"type": "string"}},
            "received_at": {"type": ["string", "number", "null"]},
            "uplink_message": {
                "type": "object",
                "properties": {
                    "received_at": {"type": ["string", "number", "null"]},
                    "frm_payload": {"type": ["string", "null"]},
                    "decoded_payload": {"type": "object"},
                },
            },
        },
    },
    {
        "end_device_ids": {"device_id": EXAMPLE_DEVICE},
        "correlation_ids": ["as:up:01HQ0S2N4Y7Z4Q0C7J6W3VYB8D"],
        "received_at": EXAMPLE_TIME,
        "uplink_message": {"received_at": EXAMPLE_TIME, "decoded_payload": {"volume_l": 9.5}},
    },
)
NGSI_LD_BODY = _json_body(
    {
        "title": "Entités NGSI-LD",
        "type": "array",
        "items": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {
                "id": {
                    "type": "string",
                    "example": "urn:ngsi-ld:WaterConsumptionObserved:SAM-0042",
                },
                "type": {"type": "string", "example": "WaterConsumptionObserved"},
            },
        },
    },
    [
        {
            "id": f"urn:ngsi-ld:WaterConsumptionObserved:{EXAMPLE_DEVICE}",
            "type": "WaterConsumptionObserved",
            "waterConsumption": {
                "type": "Property",
                "value": 191.051,
                "unitCode": "MTQ",
                "observedAt": EXAMPLE_TIME,
            },
        }
    ],
)


class StoredOut(Schema):
    received: int = Field(description="Relevés reçus dans le lot.")
    stored: int = Field(description="Relevés nouveaux enregistrés.")
    duplicates: int = Field(description="Relevés déjà connus (renvoi d'un lot), ignorés.")


class ItemErrorOut(Schema):
    item: int | str = Field(
        description="Élément en cause : rang dans la liste, ligne du fichier CSV, champ ou entité."
    )
    code: str
    message: str
    device: str | None = Field(None, description="Capteur en cause, pour une valeur hors limites.")
    quantity: str | None = Field(None, description="Grandeur en cause, idem.")


class BatchErrorOut(ErrorOut):
    error_count: int
    errors: list[ItemErrorOut]


def _fleet(request):
    header = request.headers.get("Authorization", "")
    key = header[7:] if header[:7].lower() == "bearer " else request.headers.get("X-Api-Key", "")
    return Fleet.authenticate(key)


def _unauthorized():
    return error(
        401,
        "invalid_key",
        _(
            "Clé d'API absente ou invalide : envoyez la clé de la flotte dans l'en-tête "
            "Authorization (Bearer) ou X-Api-Key."
        ),
    )


def _json(request):
    # orjson reads a batch of 5,000 readings in a third of the standard library's time.
    try:
        return orjson.loads(request.body)
    except orjson.JSONDecodeError:
        return None


def _invalid_json():
    return error(400, "invalid_json", _("Le corps de la requête n'est pas un JSON valide."))


def _stored(stored) -> dict:
    return {
        "received": stored.received,
        "stored": stored.inserted,
        "duplicates": stored.received - stored.inserted,
    }


INGEST_RESPONSES = {200: StoredOut, 400: ErrorOut, 401: ErrorOut, 422: BatchErrorOut}

QUANTITY_SCHEMA = {
    "type": ["string", "integer"],
    "description": "Nom de la grandeur (water_volume…) ou son code numérique.",
    "example": "water_volume",
}
UNIT_SCHEMA = {"type": ["string", "null"], "description": "Absente : l'unité de la grandeur."}
VALUE_HELP = "Nombre, ou texte d'un nombre (virgule décimale acceptée)."

NATIVE_BODY = {
    **FLEET_KEY,
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {
                            "title": "Relevés détaillés",
                            "type": "object",
                            "required": ["readings"],
                            "properties": {
                                "readings": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["device", "quantity", "timestamp", "value"],
                                        "properties": {
                                            "device": {
                                                "type": "string",
                                                "description": "Identifiant ou DevEUI.",
                                            },
                                            "quantity": QUANTITY_SCHEMA,
                                            "timestamp": {
                                                "type": ["string", "number"],
                                                "description": TS_HELP,
                                            },
                                            "value": {
                                                "type": ["number", "string"],
                                                "description": VALUE_HELP,
                                            },
                                            "unit": UNIT_SCHEMA,
                                        },
                                    },
                                }
                            },
                        },
                        {
                            "title": "Lot compact d'une grandeur",
                            "type": "object",
                            "required": ["quantity", "rows"],
                            "properties": {
                                "quantity": QUANTITY_SCHEMA,
                                "unit": UNIT_SCHEMA,
                                "rows": {
                                    "type": "array",
                                    "description": "[capteur, horodatage, valeur]",
                                    "items": {"type": "array", "minItems": 3, "maxItems": 3},
                                },
                            },
                        },
                    ]
                },
                "example": {
                    "readings": [
                        {
                            "device": EXAMPLE_DEVICE,
                            "quantity": "water_volume",
                            "timestamp": EXAMPLE_TIME,
                            "value": 12.5,
                            "unit": "L",
                        }
                    ]
                },
            }
        },
    },
}


@router.post(
    "/releves",
    response=INGEST_RESPONSES,
    exclude_none=True,
    url_name="sensors_readings",
    summary="Envoyer un lot de relevés",
    description="Lot accepté en entier ou refusé en entier (chaque élément fautif est "
    "nommé) ; un lot renvoyé n'ajoute rien. " + KEY_HELP,
    openapi_extra=NATIVE_BODY,
)
def post_readings(request):
    fleet = _fleet(request)
    if fleet is None:
        return _unauthorized()
    with paused_gc():
        body = _json(request)
        if body is None:
            return _invalid_json()
        try:
            return Status(200, _stored(actions.ingest_items(fleet, formats.native(body))))
        except BatchRejected as rejected:
            return Status(422, rejected.as_dict())


@router.post(
    "/releves/csv",
    response=INGEST_RESPONSES,
    exclude_none=True,
    url_name="sensors_readings_csv",
    summary="Envoyer un fichier CSV de relevés",
    description="Colonnes device, quantity, timestamp, value[, unit] ; séparateur virgule "
    "ou point-virgule. Fichier refusé en entier si une ligne est fautive, chaque ligne "
    "fautive est nommée. " + KEY_HELP,
    openapi_extra={
        **FLEET_KEY,
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": "device,quantity,timestamp,value,unit\n"
                    f"{EXAMPLE_DEVICE},water_volume,{EXAMPLE_TIME},12.5,L\n",
                }
            },
        },
    },
)
def post_readings_csv(request):
    fleet = _fleet(request)
    if fleet is None:
        return _unauthorized()
    try:
        text = request.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return error(400, "invalid_encoding", _("Le fichier doit être encodé en UTF-8."))
    try:
        return Status(200, _stored(actions.ingest_items(fleet, formats.csv_readings(text))))
    except BatchRejected as rejected:
        return Status(422, rejected.as_dict())


def _uplink(request, source, parse):
    fleet = _fleet(request)
    if fleet is None:
        return _unauthorized()
    body = _json(request)
    if not isinstance(body, dict):
        return _invalid_json()
    try:
        result = actions.ingest_uplink(fleet, source, parse(body), body)
    except BatchRejected as rejected:
        return Status(422, rejected.as_dict())
    return Status(200, _stored(result.stored))


@router.post(
    "/chirpstack",
    response={**INGEST_RESPONSES, 204: None},
    exclude_none=True,
    url_name="sensors_chirpstack",
    summary="Intégration HTTP ChirpStack v4",
    description="URL à donner à l'intégration HTTP (encodage JSON) d'une application "
    "ChirpStack. Seuls les événements `up` portent des relevés ; les autres (join, "
    "status…) sont acquittés (204). " + KEY_HELP,
    openapi_extra=CHIRPSTACK_BODY,
)
def post_chirpstack(request, event: str = "up"):
    if event != "up":
        if _fleet(request) is None:
            return _unauthorized()
        body = _json(request)
        if not isinstance(body, dict):
            return _invalid_json()
        # Every ChirpStack event names its device: anything else is not from ChirpStack.
        errors = formats.chirpstack_device(body)[1]
        if errors:
            return Status(422, BatchRejected(errors).as_dict())
        return Status(204, None)
    return _uplink(request, Source.CHIRPSTACK, formats.chirpstack_up)


@router.post(
    "/tts",
    response=INGEST_RESPONSES,
    exclude_none=True,
    url_name="sensors_tts",
    summary="Webhook The Things Stack v3 (uplink)",
    description="URL de base d'un webhook The Things Stack, format JSON, message "
    "« Uplink message » activé. " + KEY_HELP,
    openapi_extra=TTS_BODY,
)
def post_tts(request):
    return _uplink(request, Source.TTS, formats.tts_uplink)


@router.post(
    "/ngsi-ld/v1/entityOperations/upsert",
    response={201: list[str], 204: None, 400: ErrorOut, 401: ErrorOut, 422: BatchErrorOut},
    exclude_none=True,
    url_name="sensors_ngsi_ld_upsert",
    summary="NGSI-LD : mise à jour par lot (upsert)",
    description="Entités WaterConsumptionObserved, WasteContainer, ParkingSpot, "
    "OffStreetParking, OnStreetParking, CrowdFlowObserved, AirQualityObserved ; "
    "l'identifiant du capteur est la dernière partie de l'id de l'entité. 201 et la "
    "liste des entités quand des relevés nouveaux sont enregistrés, 204 sinon. " + KEY_HELP,
    openapi_extra=NGSI_LD_BODY,
)
def post_ngsi_ld(request, options: str = "update"):
    fleet = _fleet(request)
    if fleet is None:
        return _unauthorized()
    body = _json(request)
    if body is None:
        return _invalid_json()
    items, ids = formats.ngsi_ld(body)
    try:
        stored = actions.ingest_items(fleet, items)
    except BatchRejected as rejected:
        return Status(422, rejected.as_dict())
    actions.open_device_alarms(fleet, items.alarms)
    return Status(201, ids) if stored.inserted else Status(204, None)


# ------------------------------------------------------------------- devices


class DeviceIn(Schema):
    external_id: str = Field(
        min_length=1, max_length=64, description="Identifiant chez l'exploitant."
    )
    name: str = Field(min_length=1, max_length=120)
    kind: DeviceKind
    dev_eui: str = Field(
        "", max_length=32, description="DevEUI LoRaWAN (16 chiffres hexadécimaux)."
    )
    site: str | None = Field(None, max_length=120, description="Nom d'un site existant.")
    # Strict: true/false or "12" are refused rather than read as numbers.
    latitude: StrictFloat | None = Field(None, ge=-90, le=90)
    longitude: StrictFloat | None = Field(None, ge=-180, le=180)
    threshold: StrictFloat | None = None


class DeviceOut(Schema):
    external_id: str
    name: str
    kind: str
    kind_label: str
    dev_eui: str
    site: str | None
    latitude: float | None
    longitude: float | None
    last_seen_at: datetime.datetime | None
    silent: bool


def _device(device: Device) -> dict:
    return {
        "external_id": device.external_id,
        "name": device.name,
        "kind": device.kind,
        "kind_label": str(device.get_kind_display()),
        "dev_eui": device.dev_eui,
        "site": device.site.name if device.site else None,
        "latitude": device.latitude,
        "longitude": device.longitude,
        "last_seen_at": device.last_seen_at,
        "silent": device.is_silent(),
    }


@router.get(
    "/appareils",
    response={200: list[DeviceOut], 401: ErrorOut},
    url_name="sensors_devices",
    summary="Capteurs de la flotte",
    description=KEY_HELP,
    openapi_extra=FLEET_KEY,
)
def list_devices(request):
    fleet = _fleet(request)
    if fleet is None:
        return _unauthorized()
    return Status(200, [_device(d) for d in fleet.devices.select_related("site")])


@router.post(
    "/appareils",
    response={201: DeviceOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    url_name="sensors_device_create",
    summary="Déclarer un capteur dans la flotte",
    description=KEY_HELP,
    openapi_extra=FLEET_KEY,
)
def create_device(request, payload: DeviceIn):
    fleet = _fleet(request)
    if fleet is None:
        return _unauthorized()
    dev_eui = ""
    if payload.dev_eui:
        dev_eui = normalise_dev_eui(payload.dev_eui)
        if not dev_eui:
            return error(
                422, "invalid_dev_eui", _("Le DevEUI doit compter 16 chiffres hexadécimaux.")
            )
    site = None
    if payload.site:
        site = Site.objects.of(fleet.collectivite).filter(name=payload.site).first()
        if site is None:
            return error(422, "unknown_site", _("Site inconnu : %(s)s.") % {"s": payload.site})
    try:
        device = Device.objects.create(
            collectivite=fleet.collectivite,
            fleet=fleet,
            site=site,
            kind=payload.kind,
            name=payload.name,
            external_id=payload.external_id,
            dev_eui=dev_eui,
            latitude=payload.latitude,
            longitude=payload.longitude,
            threshold=payload.threshold,
        )
    except IntegrityError:
        return error(
            409,
            "duplicate_device",
            _("Un capteur porte déjà l'identifiant %(i)s.") % {"i": payload.external_id},
        )
    return Status(201, _device(device))


# ------------------------------------------------------------------- public


class CountPointOut(Schema):
    hour: datetime.datetime
    count: float


class CrowdOut(Schema):
    level: str = Field(description="calm (< 50 % de la capacité), busy (< 85 %) ou saturated.")
    label: str = Field(description="Le niveau en français : calme, fréquentée, saturée.")
    present: int = Field(
        description="Personnes présentes estimées (passages des 2 dernières heures)."
    )
    capacity: int
    share: float = Field(description="Part de la capacité, de 0 à 1 (ou plus).")


class PublicSiteOut(Schema):
    site: str
    collectivite: str
    updated_at: datetime.datetime | None
    today_total: float = Field(description="Passages comptés depuis minuit.")
    last_hour: float = Field(description="Passages de la dernière heure complète ou en cours.")
    hours: list[CountPointOut]
    crowd: CrowdOut | None = Field(
        None, description="Niveau de fréquentation, si le site a une capacité."
    )


@router.get(
    "/public/{slug}/sites/{pk}",
    response={200: PublicSiteOut, 404: ErrorOut},
    url_name="sensors_public_site",
    summary="Comptages en temps réel d'un site public",
    description="Passages comptés aujourd'hui, heure par heure, pour un site que la "
    "collectivité a rendu public (plage, centre-ville…). Sans authentification.",
)
def public_site(request, slug: str, pk: int):
    site = get_object_or_404(
        Site.objects.select_related("collectivite"), pk=pk, collectivite__slug=slug, is_public=True
    )
    return Status(200, indicators.public_counts(site))
