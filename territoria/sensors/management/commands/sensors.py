"""`territoria sensors simulate|detect|purge`: synthetic data with known leaks, the
detectors on demand, the retention of raw readings."""

import json
import math

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

import numpy as np

from territoria.sensors import detection, ingest, retention, simulator
from territoria.sensors.enums import DeviceKind, SiteKind
from territoria.sensors.models import Device, Fleet, Site
from territoria.territories.models import Collectivite

HOUR, DAY = 3600, 86400


class Command(BaseCommand):
    help = "Capteurs : simulate (données avec fuites connues), detect, purge."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        simulate = sub.add_parser("simulate", help="données réalistes avec fuites injectées")
        simulate.add_argument("--collectivite", required=True, help="identifiant (slug)")
        simulate.add_argument("--days", type=int, default=14)
        simulate.add_argument("--meters", type=int, default=50)
        simulate.add_argument("--leaks", type=int, default=3, help="fuites après compteur")
        simulate.add_argument(
            "--network-leak",
            type=float,
            default=0.2,
            help="fuite réseau, part du débit de nuit (0 : aucune)",
        )
        simulate.add_argument("--seed", type=int, default=1)
        simulate.add_argument("--truth", help="fichier JSON où écrire la vérité terrain")
        detect = sub.add_parser("detect", help="lance les détecteurs maintenant")
        detect.add_argument("--collectivite", help="identifiant (slug) ; toutes sinon")
        sub.add_parser("purge", help="supprime les relevés bruts plus vieux que la rétention")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "simulate":
            return self.simulate(options)
        if action == "detect":
            return self.detect(options)
        removed = retention.purge()
        self.stdout.write(
            f"{removed} relevés bruts supprimés (rétention : {retention.retention_days()} jours)."
        )
        return None

    def _collectivite(self, slug):
        collectivite = Collectivite.objects.filter(slug=slug).first()
        if collectivite is None:
            raise CommandError(f"Collectivité inconnue : {slug}")
        return collectivite

    def detect(self, options):
        if options["collectivite"]:
            opened = detection.run(self._collectivite(options["collectivite"]))
            self.stdout.write(f"{len(opened)} alertes ouvertes.")
        else:
            self.stdout.write(f"{detection.run_all()} alertes ouvertes.")

    def simulate(self, options):
        collectivite = self._collectivite(options["collectivite"])
        days, count, seed = options["days"], options["meters"], options["seed"]
        if days < 12:
            raise CommandError("Il faut au moins 12 jours pour la règle du débit de nuit.")
        rng = np.random.default_rng(seed)
        now = timezone.now()
        last = int(now.timestamp()) // HOUR * HOUR
        ts = last - HOUR * np.arange(days * 24)[::-1]
        with transaction.atomic():
            fleet, _ = Fleet.objects.get_or_create(
                collectivite=collectivite,
                name=f"Simulateur (graine {seed})",
                defaults={"simulated": True},
            )
            if not fleet.key_hash:
                fleet.new_key()
                fleet.save()
            site, _ = Site.objects.get_or_create(
                collectivite=collectivite,
                name=f"Secteur simulé {seed}",
                defaults={"kind": SiteKind.DMA},
            )
            meters = [
                Device.objects.get_or_create(
                    collectivite=collectivite,
                    external_id=f"SIM{seed}-M{i:04d}",
                    defaults={
                        "fleet": fleet,
                        "site": site,
                        "kind": DeviceKind.WATER_METER,
                        "name": f"Compteur simulé {i}",
                    },
                )[0]
                for i in range(count)
            ]
            dma = Device.objects.get_or_create(
                collectivite=collectivite,
                external_id=f"SIM{seed}-DMA",
                defaults={
                    "fleet": fleet,
                    "site": site,
                    "kind": DeviceKind.FLOW_METER,
                    "name": f"Débitmètre simulé {seed}",
                },
            )[0]
        volumes = simulator.household_volumes(rng, count, ts)
        truth = simulator.inject_customer_leaks(rng, volumes, ts, min(options["leaks"], count))
        plan = []
        if options["network_leak"] > 0:
            plan = [{"start_hour": (days - 3) * 24 + 1, "fraction": options["network_leak"]}]
        self.stdout.write("Simulation hydraulique du secteur (WNTR, réseau Net3)…")
        flow, _leak_flow, network_truth = simulator.district_flows(days, seed=seed, leaks=plan)
        flow = flow * 30.0 / float(np.mean(flow))
        directory = {d.external_id: d.pk for d in [*meters, dma]}
        sent = 0
        for device, values in zip(meters, volumes, strict=True):
            sent += self._send(directory, device, "water_volume", ts, values)
        sent += self._send(directory, dma, "flow_rate", ts, np.round(flow, 3))
        opened = detection.run(collectivite, now)
        ground = {
            "customer_leaks": [
                {**t, "device": meters[t["meter"]].external_id, "meter": None} for t in truth
            ],
            "network_leaks": [
                {**t, "device": dma.external_id, "start": int(ts[0]) + t["start_hour"] * HOUR}
                for t in network_truth
            ],
        }
        if options["truth"]:
            with open(options["truth"], "w") as out:
                json.dump(ground, out, indent=1, ensure_ascii=False)
        self.stdout.write(f"{sent} relevés envoyés ; {len(opened)} alertes ouvertes :")
        for alert in opened:
            self.stdout.write(f"  - {alert.title}")
        self.stdout.write(
            f"Vérité terrain : {len(truth)} fuites après compteur, "
            f"fuites réseau : {len(network_truth)}."
        )

    def _send(self, directory, device, quantity, ts, values) -> int:
        keep = [i for i, v in enumerate(values.tolist()) if not math.isnan(v)]
        items = ingest.Items(
            devices=[device.external_id] * len(keep),
            quantities=[quantity] * len(keep),
            timestamps=[int(ts[i]) for i in keep],
            values=[float(values[i]) for i in keep],
            units=[None] * len(keep),
            labels=keep,
        )
        return ingest.ingest(items, directory).inserted
