from django.db import models
from django.utils.translation import gettext_lazy as _

EU_AUTHORITY = "http://publications.europa.eu/resource/authority"


class Theme(models.TextChoices):
    """The EU data-theme vocabulary (codes of authority/data-theme)."""

    AGRI = "AGRI", _("Agriculture, pêche, sylviculture et alimentation")
    ECON = "ECON", _("Économie et finances")
    EDUC = "EDUC", _("Éducation, culture et sport")
    ENER = "ENER", _("Énergie")
    ENVI = "ENVI", _("Environnement")
    GOVE = "GOVE", _("Gouvernement et secteur public")
    HEAL = "HEAL", _("Santé")
    INTR = "INTR", _("Questions internationales")
    JUST = "JUST", _("Justice, système juridique et sécurité publique")
    REGI = "REGI", _("Régions et villes")
    SOCI = "SOCI", _("Population et société")
    TECH = "TECH", _("Science et technologie")
    TRAN = "TRAN", _("Transports")

    @property
    def iri(self) -> str:
        return f"{EU_AUTHORITY}/data-theme/{self.value}"


class Frequency(models.TextChoices):
    """The EU frequency vocabulary (codes of authority/frequency)."""

    CONT = "UPDATE_CONT", _("Mise à jour continue")
    DAILY = "DAILY", _("Quotidienne")
    WEEKLY = "WEEKLY", _("Hebdomadaire")
    MONTHLY = "MONTHLY", _("Mensuelle")
    QUARTERLY = "QUARTERLY", _("Trimestrielle")
    ANNUAL = "ANNUAL", _("Annuelle")
    IRREGULAR = "IRREG", _("Irrégulière")

    @property
    def iri(self) -> str:
        return f"{EU_AUTHORITY}/frequency/{self.value}"


class Licence(models.TextChoices):
    LO2 = "lov2", _("Licence Ouverte / Open Licence 2.0")
    ODBL = "odc-odbl", _("Open Database License (ODbL)")


LICENCE_URLS = {
    Licence.LO2: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    Licence.ODBL: "http://opendatacommons.org/licenses/odbl/summary/",
}


class Source(models.TextChoices):
    """Where a dataset's rows come from."""

    UPLOAD = "upload", _("Fichier déposé par un agent")
    REPORTS = "reports", _("Signalements citoyens")
    BUDGET = "budget", _("Résultats des budgets participatifs")
    CONSULTATIONS = "consultations", _("Résultats des consultations")
    PEOPLE_COUNTS = "people_counts", _("Comptages de personnes (agrégats quotidiens)")
    COUNT_SITES = "count_sites", _("Comptages de personnes : sites")
    COUNT_CHANNELS = "count_channels", _("Comptages de personnes : compteurs (canaux)")
    CAR_PARKS = "car_parks", _("Parkings (capacité et occupation quotidienne)")
    ROADMAP = "roadmap", _("Projets de la feuille de route")


class Format(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"
    GEOJSON = "geojson", "GeoJSON"
    PARQUET = "parquet", "Parquet"


MEDIA_TYPES = {
    Format.CSV: "text/csv",
    Format.JSON: "application/json",
    Format.GEOJSON: "application/geo+json",
    Format.PARQUET: "application/vnd.apache.parquet",
}
# EU file-type codes (authority/file-type) read by data.gouv.fr as the format.
FILE_TYPES = {
    Format.CSV: "CSV",
    Format.JSON: "JSON",
    Format.GEOJSON: "GEOJSON",
    Format.PARQUET: "PARQUET",
}
