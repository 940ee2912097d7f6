"""Harvest DCAT catalogues with data.gouv.fr's own harvester (PyPI `udata`) and print what
it stored, as JSON. Runs in the harvester's own virtualenv (bin/test installs it in
var/udata-harvester/), not ours:

    var/udata-harvester/bin/python udata_harvest_driver.py URL [URL…]

Everything is udata's code: `udata.harvest.actions.run` with the `dcat` backend, which
follows the hydra pages and turns each dcat:Dataset into a udata Dataset with
`dataset_from_rdf`. Only the store differs: mongomock, an in-memory MongoDB that
mongoengine takes as its client class, so no MongoDB server is needed. Each catalogue is
harvested twice (data.gouv.fr harvests every day) into an empty store of its own."""

import json
import sys

# data.gouv.fr's licence records for the two licences we publish (ids, titles and URLs
# as its licence list has them): the harvester matches dct:license against them.
LICENCES = [
    {
        "id": "lov2",
        "title": "Licence Ouverte / Open Licence version 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    },
    {
        "id": "odc-odbl",
        "title": "Open Data Commons Open Database License (ODbL)",
        "url": "http://opendatacommons.org/licenses/odbl/summary/",
    },
]
MONGODB_HOST = "mongodb://localhost:27017/udata"


def create_app():
    import mongomock
    from udata.app import create_app, standalone
    from udata.settings import Testing

    class Settings(Testing):
        """udata's test settings, with the DCAT backend, the in-memory store, and leave to
        fetch a catalogue served on loopback."""

        HARVESTER_BACKENDS = ["dcat"]
        MONGODB_HOST = MONGODB_HOST
        MONGODB_SETTINGS = {"host": MONGODB_HOST, "mongo_client_class": mongomock.MongoClient}
        URLS_ALLOW_LOCAL = True
        # The schema catalogue would be fetched from the Internet: tests stay on loopback.
        SCHEMA_CATALOG_URL = None

    return standalone(create_app("udata.settings.Defaults", override=Settings))


def _date(value):
    return value.isoformat() if value else None


def _job(job) -> dict:
    return {
        "status": job.status,
        "errors": [error.message for error in job.errors],
        "items": [
            {
                "remote_id": item.remote_id,
                "status": item.status,
                "errors": [error.message for error in item.errors],
                "logs": [f"{log.level}: {log.message}" for log in item.logs],
            }
            for item in job.items
        ],
    }


def _dataset(dataset) -> dict:
    temporal = dataset.temporal_coverage
    return {
        "identifier": dataset.harvest.dct_identifier,
        "uri": dataset.harvest.uri,
        "remote_url": dataset.harvest.remote_url,
        "title": dataset.title,
        "license": dataset.license.id if dataset.license else None,
        "frequency": str(dataset.frequency) if dataset.frequency else None,
        "temporal": [_date(temporal.start), _date(temporal.end)] if temporal else None,
        "spatial": dataset.spatial.geom if dataset.spatial else None,
        "modified": _date(dataset.harvest.modified_at),
        "resources": [
            {
                "title": resource.title,
                "url": resource.url,
                "format": resource.format,
                "mime": resource.mime,
                "filesize": resource.filesize,
            }
            for resource in dataset.resources
        ],
    }


def harvest(app, url: str) -> dict:
    from udata.core.organization.models import Organization
    from udata.harvest import actions
    from udata.harvest.models import HarvestSource
    from udata.models import Dataset, License

    with app.app_context():
        store = Dataset._get_db()
        store.client.drop_database(store.name)
        for licence in LICENCES:
            License.objects.create(**licence)
        organization = Organization.objects.create(name="Collectivité", description="Essai")
        source = HarvestSource.objects.create(
            name="Territoria", url=url, backend="dcat", organization=organization
        )
        jobs = []
        for _run in range(2):
            actions.run(source)
            source.reload()
            jobs.append(_job(source.get_last_job()))
        return {
            "url": url,
            "jobs": jobs,
            "datasets": [_dataset(d) for d in Dataset.objects.order_by("title")],
        }


if __name__ == "__main__":
    from importlib.metadata import version

    application = create_app()
    report = {
        "udata": version("udata"),
        "catalogues": [harvest(application, url) for url in sys.argv[1:]],
    }
    print(json.dumps(report, ensure_ascii=False, default=str))
