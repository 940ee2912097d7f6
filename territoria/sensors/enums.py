from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    WATER_METER = "water_meter", _("Compteur d'eau")
    FLOW_METER = "flow_meter", _("Débitmètre de secteur (DMA)")
    WASTE_BIN = "waste_bin", _("Conteneur à déchets")
    PARKING_SPOT = "parking_spot", _("Place de stationnement")
    CAR_PARK = "car_park", _("Parking (comptage)")
    PEOPLE_COUNTER = "people_counter", _("Compteur de personnes")
    ENERGY_METER = "energy_meter", _("Compteur d'énergie")
    AIR_QUALITY = "air_quality", _("Capteur de qualité de l'air")
    STREETLIGHT = "streetlight", _("Éclairage public")


class SiteKind(models.TextChoices):
    BUILDING = "building", _("Bâtiment")
    DMA = "dma", _("Secteur de distribution d'eau (DMA)")
    CAR_PARK = "car_park", _("Parking")
    STREET = "street", _("Rue ou quartier")
    BEACH = "beach", _("Plage")
    WASTE_POINT = "waste_point", _("Point de collecte")
    OTHER = "other", _("Autre")


class Quantity(models.IntegerChoices):
    """Small integer codes: the readings table stores the code, not the name."""

    WATER_VOLUME = 1, _("Volume d'eau")
    WATER_INDEX = 2, _("Index d'eau")
    FLOW_RATE = 3, _("Débit")
    FILL_LEVEL = 4, _("Taux de remplissage")
    OCCUPIED = 5, _("Places occupées")
    PEOPLE_COUNT = 6, _("Passages de personnes")
    ENERGY = 7, _("Énergie consommée")
    ENERGY_INDEX = 8, _("Index d'énergie")
    POWER = 9, _("Puissance")
    PM10 = 10, _("Particules PM10")
    PM25 = 11, _("Particules PM2,5")
    NO2 = 12, _("Dioxyde d'azote")
    O3 = 13, _("Ozone")
    TEMPERATURE = 14, _("Température")
    HUMIDITY = 15, _("Humidité relative")
    BATTERY = 16, _("Tension de la pile")
    OCCUPANCY = 17, _("Taux d'occupation")


class AlertKind(models.TextChoices):
    CONTINUOUS_FLOW = "continuous_flow", _("Débit continu (fuite après compteur)")
    NIGHT_FLOW = "night_flow", _("Débit de nuit du secteur en hausse (fuite réseau)")
    BIN_FULL = "bin_full", _("Conteneur plein")
    SILENT = "silent", _("Capteur muet")
    STUCK = "stuck", _("Place bloquée dans un état")
    THRESHOLD = "threshold", _("Seuil dépassé")
    VENDOR = "vendor", _("Alarme du compteur")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    ACKNOWLEDGED = "acknowledged", _("Prise en compte")
    CLOSED = "closed", _("Clôturée")


class Source(models.TextChoices):
    NATIVE = "native", _("API Territoria")
    CSV = "csv", _("Fichier CSV")
    CHIRPSTACK = "chirpstack", _("ChirpStack v4")
    TTS = "tts", _("The Things Stack v3")
    NGSI_LD = "ngsi_ld", _("NGSI-LD")
    SIMULATOR = "simulator", _("Simulateur")
